import { DEFAULT_RATE_CARD } from '../../src/measure/rate-card';
import { signedRequest, TEST_SECRET, useTestApp } from '../support/http';
import { phoneOf, seedMeasureStore } from '../support/measure-seed';
import { signatureHeaders } from '@cartback/shared';

const t = useTestApp();
const get = (path: string) => signedRequest(t.base, 'GET', path);
const RANGE = 'from=2026-11-01&to=2026-12-01';

beforeAll(async () => {
  await seedMeasureStore(t.db);
});

describe('dashboard summary', () => {
  it('shows the store owner recovered revenue, costs, net and the lift verdict', async () => {
    const reply = await get(`/v1/admin/dashboard/summary?${RANGE}`);
    expect(reply.status).toBe(200);
    const { headline, lanes, currency, cost_currency } = reply.body;
    expect({ currency, cost_currency }).toEqual({ currency: 'USD', cost_currency: 'USD' });
    // measure-seed.ts: 8 recovered orders of $50.00; 2 influenced ($50.00 and $30.00 after a $20.00 refund).
    expect(headline.recovered_revenue).toBe(40000);
    expect(headline.influenced_revenue).toBe(8000);
    // 34 billable deliveries to German numbers (28 Meta said billable, 6 with no pricing: the card's
    // DE marketing rate), 2 free: 34 × $0.1502 = $5.1068 → 511 cents; a USD store needs no conversion.
    expect(headline.message_cost_usd).toBe(511);
    expect(headline.message_cost).toBe(511);
    expect(headline.incentive_cost).toBe(0);
    expect(headline.net).toBe(40000 - 511);
    expect(headline.return_on_cost).toBeCloseTo(40000 / 511, 6);
    expect(headline.opt_out_rate).toBeCloseTo(2 / 40, 10);

    expect(lanes).toHaveLength(1);
    const cart = lanes[0];
    expect(cart.lane).toBe('abandoned_cart');
    expect(cart.figures).toMatchObject({
      enrolled_treated: 40,
      enrolled_holdout: 30,
      sent: 36,
      delivered: 36,
      read: 20,
      failed: 4,
      unique_clicks: 12,
      opt_outs: 2,
      conversions: 10,
      recovered_orders: 8,
      influenced_orders: 2,
    });
    // Lift over orders within 7 days of each cart, both cells alike: treated 10/40 (revenue
    // 9 × 5000 + 3000 = 48000), holdout 3/30 (3 × 4000 = 12000). Newcombe's interval (scipy
    // binomtest Wilson, combined as in measure/lift.ts): 0.15, −0.03998 to 0.31542. Welch
    // (scipy ttest_ind equal_var=False): 800 cents, −5.8517 to 1605.8517, df 64.139.
    // Sample size at p₂ = 0.10, δ = 0.15, k = 40/30: 80.45 × (1 + 4/3) → 188 carts, 70 enrolled: 118 more.
    expect(cart.lift.treated).toEqual({
      enrolled: 40,
      converted: 10,
      conversion_rate: 0.25,
      revenue: 48000,
      revenue_per_contact: 1200,
    });
    expect(cart.lift.holdout).toEqual({
      enrolled: 30,
      converted: 3,
      conversion_rate: 0.1,
      revenue: 12000,
      revenue_per_contact: 400,
    });
    expect(cart.lift.conversion.low).toBeCloseTo(-0.03998332144445388, 8);
    expect(cart.lift.conversion.high).toBeCloseTo(0.3154171119244916, 8);
    expect(cart.lift.revenue_per_contact.estimate).toBeCloseTo(800, 8);
    expect(cart.lift.revenue_per_contact.low).toBeCloseTo(-5.85174847493397, 4);
    expect(cart.lift.revenue_per_contact.high).toBeCloseTo(1605.851748474934, 4);
    expect(cart.lift.verdict).toEqual({
      kind: 'not_enough_data',
      text: '+15.0 points, 95% CI -4.0 to +31.5: not enough data yet: about 118 more carts needed',
      revenue_text: '+$8.00 per contact, 95% CI -$0.06 to +$16.06',
      more_carts: 118,
    });
    expect(headline.incremental_revenue.estimate).toBeCloseTo(800 * 40, 6);
  });

  it('splits revenue over time by the store’s days', async () => {
    const reply = await get('/v1/admin/dashboard/summary?from=2026-11-10&to=2026-11-12&period=day');
    expect(reply.body.revenue_over_time).toEqual([
      {
        period: '2026-11-10',
        start: '2026-11-10T00:00:00.000Z',
        recovered_revenue: 40000,
        influenced_revenue: 8000,
        net: 40000 - 300,
      },
      {
        period: '2026-11-11',
        start: '2026-11-11T00:00:00.000Z',
        recovered_revenue: 0,
        influenced_revenue: 0,
        net: -210,
      },
    ]);
  });
});

describe('dashboard funnel', () => {
  it('counts each step per day', async () => {
    const reply = await get(`/v1/admin/dashboard/funnel?lane=abandoned_cart&period=day&from=2026-11-10&to=2026-11-12`);
    expect(reply.status).toBe(200);
    expect(reply.body.steps).toEqual([
      expect.objectContaining({
        step: 0,
        template: 'cart_reminder_1',
        sent: 36,
        delivered: 36,
        read: 20,
        unique_clicks: 12,
        message_cost_usd: 511,
      }),
    ]);
    const [first, second] = reply.body.periods;
    expect(first.totals).toMatchObject({
      enrolled_treated: 20,
      enrolled_holdout: 15,
      sent: 20,
      read: 20,
      unique_clicks: 12,
      recovered_orders: 8,
      opt_outs: 0,
    });
    expect(second.totals).toMatchObject({
      enrolled_treated: 20,
      enrolled_holdout: 15,
      sent: 16,
      delivered: 16,
      failed: 4,
      read: 0,
      opt_outs: 2,
    });
  });

  it('refuses bad parameters with the field named', async () => {
    for (const [query, field] of [
      ['lane=nope', 'lane'],
      ['lane=abandoned_cart&period=year', 'period'],
      ['lane=abandoned_cart&from=2026-13-01', 'from'],
      ['lane=abandoned_cart&from=2026-11-02&to=2026-11-01', 'from'],
      ['lane=abandoned_cart&from=2020-01-01&to=2026-01-01', 'from'],
      ['lane=abandoned_cart&lane=winback', 'lane'],
    ]) {
      const reply = await get(`/v1/admin/dashboard/funnel?${query}`);
      expect({ query, status: reply.status, path: reply.body.error.path }).toEqual({ query, status: 400, path: field });
    }
  });
});

describe('latest messages', () => {
  it('lists the newest first, phones masked, with a cursor', async () => {
    const page = await get('/v1/admin/dashboard/messages?limit=2');
    expect(page.body.messages.map((m: { id: number }) => m.id)).toEqual([70, 69]);
    expect(page.body.messages[0].phone).toBe('+49•••••••••70');
    expect(JSON.stringify(page.body)).not.toContain(phoneOf(70));
    const next = await get(`/v1/admin/dashboard/messages?limit=2&before=${page.body.next_before}`);
    expect(next.body.messages.map((m: { id: number }) => m.id)).toEqual([68, 67]);
    expect((await get('/v1/admin/dashboard/messages?limit=0')).body.error.path).toBe('limit');
  });
});

describe('contact timeline', () => {
  it('shows consent, the journey, its decisions, the message with its statuses, the click and the order', async () => {
    const reply = await get(`/v1/admin/contacts/timeline?q=${encodeURIComponent('+49 151 000 00001')}`);
    expect(reply.status).toBe(200);
    expect(reply.body.contacts).toHaveLength(1);
    const kinds = reply.body.contacts[0].timeline.map((e: { kind: string }) => e.kind);
    // The send decision and its message share an instant: the decision comes first.
    expect(kinds).toEqual(['consent', 'enrolled', 'decision', 'message', 'click', 'order']);
    const order = reply.body.contacts[0].timeline[5];
    expect(order.attribution).toEqual({
      kind: 'recovered',
      lane: 'abandoned_cart',
      step: 0,
      message_id: 1,
      amount: 5000,
    });
    const byEmail = await get('/v1/admin/contacts/timeline?q=shopper41%40example.com');
    const decision = byEmail.body.contacts[0].timeline.find((e: { kind: string }) => e.kind === 'decision');
    expect(decision).toMatchObject({ decision: 'held_out', reason: 'held_out', lane: 'abandoned_cart' });
    expect((await get('/v1/admin/contacts/timeline?q=12')).body.error.path).toBe('q');
  });
});

describe('CSV exports', () => {
  it('streams messages and attributed orders as RFC 4180 CSV', async () => {
    const path = `/v1/admin/export/messages.csv?${RANGE}`;
    const res = await fetch(t.base + path, {
      headers: signatureHeaders(TEST_SECRET, { method: 'GET', path, body: '' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toMatch(/^message_id,created_at,lane,step,template,category,state,contact_id,phone,/);
    expect(lines).toHaveLength(1 + 70 + 1); // header, 70 rows, the empty string after the last CRLF
    expect(lines[1]).toContain(",'+49•••••••••01,"); // a leading + is neutralised for spreadsheets
    const ordersPath = `/v1/admin/export/orders.csv?${RANGE}`;
    const orders = await fetch(t.base + ordersPath, {
      headers: signatureHeaders(TEST_SECRET, { method: 'GET', path: ordersPath, body: '' }),
    });
    const rows = (await orders.text()).trim().split('\r\n');
    expect(rows).toHaveLength(1 + 10);
    expect(rows.find((r) => r.startsWith('1010,'))).toMatch(
      /^1010,influenced,abandoned_cart,0,10,10,[^,]+,3000,USD,true,,refunded,5000,/,
    );
  });
});

describe('rate card', () => {
  it('returns the defaults, refuses a bad card naming the field, and stores a good one', async () => {
    expect((await get('/v1/admin/rate-card')).body).toEqual({ rate_card: DEFAULT_RATE_CARD, source: 'default' });
    const bad = { ...DEFAULT_RATE_CARD, rates: { ...DEFAULT_RATE_CARD.rates, DE: { marketing: 0.15 } } };
    const refused = await signedRequest(t.base, 'PUT', '/v1/admin/rate-card', JSON.stringify(bad));
    expect(refused.status).toBe(400);
    expect(refused.body.error.path).toBe('rates.DE.marketing');
    const card = {
      ...DEFAULT_RATE_CARD,
      store_currency_per_usd: 0.9,
      rates: { ...DEFAULT_RATE_CARD.rates, DE: { marketing: 100000, utility: 0, authentication: 0, service: 0 } },
    };
    const saved = await signedRequest(t.base, 'PUT', '/v1/admin/rate-card', JSON.stringify(card));
    expect(saved.status).toBe(200);
    // Now 34 × $0.10 = 340 cents; the store is in USD, so its own rate (1) applies, not 0.9.
    const summary = await get(`/v1/admin/dashboard/summary?${RANGE}`);
    expect(summary.body.headline.message_cost_usd).toBe(340);
    await signedRequest(t.base, 'PUT', '/v1/admin/rate-card', JSON.stringify(DEFAULT_RATE_CARD));
  });

  it('refuses unsigned calls', async () => {
    const res = await fetch(`${t.base}/v1/admin/rate-card`);
    expect(res.status).toBe(401);
  });
});

describe('freshness', () => {
  it('shows a fact that arrived after the last look (the roll-ups catch up)', async () => {
    const before = await get(`/v1/admin/dashboard/summary?${RANGE}`);
    expect(before.body.lanes[0].figures.unique_clicks).toBe(12);
    const now = new Date();
    // A click on message 13 and a paid order by held-out contact 44, reported now.
    await t.db
      .insertInto('clicks')
      .values({ store_id: 1, code: 'late13', message_id: 13, contact_id: 13, clicked_at: now, last_opened_at: now })
      .execute();
    const placed = new Date('2026-11-11T12:00:00Z');
    await t.db
      .insertInto('orders')
      .values({
        store_id: 1,
        order_id: 2044,
        contact_id: 44,
        status: 'processing',
        currency: 'USD',
        total: 4000,
        placed_at: placed,
        paid_at: placed,
        cart_key: null,
        customer_id: null,
        phone: null,
        email: null,
        lines: null,
        coupons: null,
        payment_method: null,
        pay_url: null,
        failed_at: null,
        refunded_at: null,
        refunded_amount: null,
        state_at: placed,
        state_event_id: null,
        stamps: null,
        subtotal: 4000,
        tax: 0,
        shipping: 0,
        discount: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const after = await get(`/v1/admin/dashboard/summary?${RANGE}`);
    expect(after.body.lanes[0].figures.unique_clicks).toBe(13);
    expect(after.body.lanes[0].lift.holdout).toMatchObject({ enrolled: 30, converted: 4, revenue: 16000 });
  });
});

describe('incentive cost', () => {
  it('subtracts what redeemed coupons took off, and nothing for a coupon issued but never used', async () => {
    const before = (await get(`/v1/admin/dashboard/summary?${RANGE}`)).body.headline;
    const [used, unused] = await t.db
      .selectFrom('messages')
      .select(['id', 'enrollment_id', 'step', 'lane', 'created_at'])
      .where('store_id', '=', 1)
      .where('created_at', '>=', new Date('2026-11-01T00:00:00Z'))
      .where('created_at', '<', new Date('2026-12-01T00:00:00Z'))
      .orderBy('id')
      .limit(2)
      .execute();
    const coupon = (m: NonNullable<typeof used>, code: string, redeemed: number | null) => ({
      store_id: 1,
      enrollment_id: m.enrollment_id,
      step: m.step,
      lane: m.lane,
      code,
      state: 'created' as const,
      discount_type: 'fixed_cart' as const,
      amount: '20.00',
      value: 2000,
      currency: 'USD',
      minimum_spend: null,
      maximum_spend: null,
      email: null,
      expires_at: new Date(m.created_at.getTime() + 2 * 86_400_000),
      woo_id: null,
      message_id: m.id,
      redeemed_at: redeemed === null ? null : new Date(m.created_at.getTime() + 3_600_000),
      redeemed_value: redeemed,
      redeemed_order_id: redeemed === null ? null : 990_001,
      removed_at: null,
      created_at: m.created_at,
      updated_at: m.created_at,
    });
    await t.db
      .insertInto('coupons')
      .values([coupon(used!, 'CB-DASHUSED01', 1500), coupon(unused!, 'CB-DASHIDLE01', null)])
      .execute();

    const after = (await get(`/v1/admin/dashboard/summary?${RANGE}`)).body.headline;
    expect(after.incentive_cost).toBe(before.incentive_cost + 1500);
    expect(after.net).toBe(before.net - 1500);
    expect(after.recovered_revenue).toBe(before.recovered_revenue);
  });
});
