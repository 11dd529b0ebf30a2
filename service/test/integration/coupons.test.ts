import { readMessages } from '../../src/attribution/sql';
import { incentiveStatus } from '../../src/coupons/budget';
import { recordClick, restorePayload } from '../../src/links/store';
import { runCouponCleanup } from '../../src/coupons/cleanup';
import type { LaneName, LaneSettings, StepIncentive } from '../../src/engine/lanes';
import { startFakeWoo, type FakeWoo } from '../../src/fake-woo/server';
import { ingestBatches } from '../../src/ingest/ingest';
import { messageCoupon, writeBudget } from '../../src/recovery/sql/coupons';
import { COUPON_TRIES, COUPON_RETRY_MS } from '../../src/recovery/step-coupon';
import { runDueSteps, type StepContext } from '../../src/recovery/stepper';
import { WooClient } from '../../src/woo/client';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { event } from '../support/events';
import { stepContext } from '../support/journey';
import { laneFixtures, settingsOf } from '../support/lanes';

/**
 * Per-step coupons (issue 11, part 2) on the real database against the WooCommerce REST API double:
 * made unique, single use, restricted to the contact's email and expiring; the monthly budget
 * running out, a redeemed coupon still counting and an expired one freeing budget; no coupon for
 * the holdout cell or payment reminders; a make whose answer was lost; the daily cleanup.
 */
const NOW = new Date('2026-06-10T10:00:00.000Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const STORE = { timeZone: 'Europe/Berlin', locale: 'en_IE', currency: 'EUR', name: 'Linen Co' };

let t: TestDatabase;
let woo: FakeWoo;
const { contact, enroll, cart } = laneFixtures(() => t.db, NOW);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  woo = await startFakeWoo();
  // Each test starts from no coupons and its own budget.
  await t.db.deleteFrom('coupons').execute();
  await t.db.updateTable('enrollments').set({ state: 'completed', next_due_at: null }).execute();
});
afterEach(async () => {
  await woo.close();
});

const FIXED_100: StepIncentive = {
  type: 'fixed',
  amount: 10_000,
  ceiling: 10_000,
  expires_after: 'P2D',
  minimum_spend: null,
  template_without_incentive: 'cart_reminder_2_text',
};

/** The cart lane with a first step that carries a coupon (the fake's `cart_reminder_2_coupon`). */
function couponLane(incentive: StepIncentive = FIXED_100): LaneSettings {
  const settings = settingsOf('abandoned_cart');
  const [first, ...rest] = settings.steps;
  return {
    ...settings,
    steps: [
      {
        delay: first!.delay,
        template: 'cart_reminder_2_coupon',
        language: 'en',
        parameters: {
          header: null,
          body: ['first_name', 'coupon_value', 'coupon_code', 'item_count', 'first_item_name', 'cart_total'],
          buttons: first!.parameters.buttons,
        },
        incentive,
      },
      ...rest,
    ],
  };
}

const client = (timeoutMs?: number) => async () =>
  new WooClient(
    { url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret },
    timeoutMs ? { timeoutMs } : {},
  );

async function run(at: Date, change: Partial<StepContext> = {}, lane: LaneName = 'abandoned_cart') {
  const settings = change.settings ?? couponLane();
  await runDueSteps(t.db, stepContext(settings, { lane, store: STORE, coupons: client(), ...change }), at);
}

/** A cart journey due now, for a contact whose email is known. */
async function cartJourney(email: string | null = 'anna@example.com', cell: 'treatment' | 'holdout' = 'treatment') {
  const c = await contact('marketing');
  if (email) await t.db.updateTable('contacts').set({ email }).where('id', '=', c.id).execute();
  const at = new Date(NOW.getTime() - 30 * 60_000);
  const key = await cart(c.id, at, [11, 12]);
  await t.db.updateTable('carts').set({ total: 25_000 }).where('cart_key', '=', key).execute();
  const id = await enroll('abandoned_cart', 'cart', key, c.id, at);
  if (cell === 'holdout') await t.db.updateTable('enrollments').set({ cell }).where('id', '=', id).execute();
  return { id, contact: c, key };
}

async function outcome(enrollmentId: number) {
  const e = await t.db.selectFrom('enrollments').selectAll().where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  const messages = await t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', enrollmentId).execute();
  const history = await t.db
    .selectFrom('enrollment_history')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .orderBy('id')
    .execute();
  const coupons = await t.db.selectFrom('coupons').selectAll().where('enrollment_id', '=', enrollmentId).execute();
  return { e, messages, history, coupons, payload: String(messages[0]?.payload ?? '') };
}

const couponPosts = () => woo.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/coupons'));

describe('a step with an incentive', () => {
  beforeEach(async () => writeBudget(t.db, 1, 1_000_000, NOW));

  it('makes a unique, single-use, email-restricted, expiring coupon and sends its code and value', async () => {
    const a = await cartJourney('anna@example.com');
    const b = await cartJourney(null);
    await run(NOW);

    const first = await outcome(a.id);
    expect(first.messages.map((m) => [m.state, m.template, m.error_message])).toEqual([
      ['queued', 'cart_reminder_2_coupon', null],
    ]);
    const [row] = first.coupons;
    expect(row).toMatchObject({ state: 'created', message_id: first.messages[0]!.id, value: 10_000 });
    expect(row!.code).toMatch(/^CB-[A-HJ-NP-Z2-9]{10}$/);
    expect(first.payload).toContain(`"text":"${row!.code}"`);
    expect(first.payload).toContain('"text":"€100 off"');

    const made = [...woo.state.coupons.values()].find((c) => c.id === Number(row!.woo_id));
    expect(made).toMatchObject({
      code: row!.code.toLowerCase(),
      discount_type: 'fixed_cart',
      amount: '100.00',
      individual_use: true,
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ['anna@example.com'],
      date_expires_gmt: later(2 * DAY)
        .toISOString()
        .slice(0, 19),
      description: 'Cartback: abandoned_cart step 1',
    });

    const second = await outcome(b.id);
    const other = [...woo.state.coupons.values()].find((c) => c.id === Number(second.coupons[0]!.woo_id));
    expect(other?.email_restrictions).toEqual([]);
    expect(second.coupons[0]!.code).not.toBe(row!.code);
    expect(woo.state.coupons.size).toBe(2);

    // The restore link applies it while it is live, and not once it has expired.
    const link = await t.db
      .selectFrom('links')
      .select('code')
      .where('message_id', '=', first.messages[0]!.id)
      .executeTakeFirstOrThrow();
    const click = await recordClick(t.db, link.code, 'test-secret', later(DAY));
    if (click.kind !== 'restore') throw new Error(`not a restore: ${click.kind}`);
    expect(await restorePayload(t.db, 1, click.token, later(DAY))).toMatchObject({ coupon: row!.code });
    expect(await messageCoupon(t.db, Number(first.messages[0]!.id), later(3 * DAY))).toBeNull();

    // Attribution reads the coupon the message carried.
    const read = await readMessages(t.db, 1, [a.contact.id], NOW);
    expect(read.find((m) => m.id === Number(first.messages[0]!.id))?.couponCode).toBe(row!.code);
  });

  it('offers a percent coupon as a fixed one at the ceiling when the percent would be worth more', async () => {
    const a = await cartJourney();
    await run(NOW, { settings: couponLane({ ...FIXED_100, type: 'percent', amount: 50, ceiling: 5_000 }) });
    const { coupons, payload } = await outcome(a.id);
    expect(coupons[0]).toMatchObject({ discount_type: 'fixed_cart', amount: '50.00', value: 5_000 });
    expect(payload).toContain('"text":"€50 off"');
  });

  it('gives the holdout cell no coupon, and asks the store for none', async () => {
    const a = await cartJourney('anna@example.com', 'holdout');
    await run(NOW);
    const { messages, coupons } = await outcome(a.id);
    expect(messages.map((m) => [m.state, m.error_message])).toEqual([['held_out', 'held_out']]);
    expect(coupons).toEqual([]);
    expect(couponPosts()).toEqual([]);
  });

  it('gives a payment reminder no coupon, even if its settings carried one', async () => {
    const c = await contact('utility');
    const { order } = laneFixtures(() => t.db, NOW);
    const orderId = await order(c.id, 'pending', new Date(NOW.getTime() - 3 * 3_600_000), [11]);
    const id = await enroll(
      'payment_recovery',
      'order',
      String(orderId),
      c.id,
      new Date(NOW.getTime() - 3 * 3_600_000),
    );
    const settings = settingsOf('payment_recovery');
    // Validation refuses this (steps[0].incentive); the engine's second fence ignores it too.
    settings.steps[0] = { ...settings.steps[0]!, incentive: FIXED_100 };
    await run(NOW, { settings, lane: 'payment_recovery' }, 'payment_recovery');
    const { messages, coupons } = await outcome(id);
    expect(messages.map((m) => [m.state, m.template])).toEqual([['queued', settings.steps[0]!.template]]);
    expect(coupons).toEqual([]);
    expect(couponPosts()).toEqual([]);
  });
});

describe('the monthly incentive budget', () => {
  it('runs out mid-month; a redeemed coupon still counts, an expired unused one frees budget', async () => {
    // Room for exactly two coupons of 100.00.
    await writeBudget(t.db, 1, 20_000, NOW);
    const journeys = [await cartJourney(), await cartJourney(), await cartJourney()];
    await run(NOW);
    const [a, b, c] = await Promise.all(journeys.map((j) => outcome(j.id)));
    expect([a, b].map((o) => o!.messages[0]?.template)).toEqual(['cart_reminder_2_coupon', 'cart_reminder_2_coupon']);
    expect(c!.messages.map((m) => [m.state, m.template, m.error_message])).toEqual([
      ['queued', 'cart_reminder_2_text', 'incentive_budget_exhausted'],
    ]);
    expect(c!.history.map((h) => [h.kind, h.reason])).toEqual([['send', 'incentive_budget_exhausted']]);
    expect(c!.coupons).toEqual([]);
    // The coupon parameters are dropped: the text template's four body parameters.
    expect(c!.payload).not.toContain('CB-');
    expect(await incentiveStatus(t.db, 1, STORE, NOW)).toEqual({
      monthly_budget: 20_000,
      currency: 'EUR',
      month: '2026-06',
      committed: 20_000,
      redeemed: 0,
      remaining: 0,
    });

    // A's coupon is redeemed by a paid order (the event twice, out of order with its placing).
    const code = a!.coupons[0]!.code;
    const data = { order_id: 9101, currency: 'EUR', coupons: [code.toLowerCase()], phone: journeys[0]!.contact.phone };
    const totals = { subtotal: 25_000, tax: 0, shipping: 0, discount: 10_000, total: 15_000 };
    const paid = event('order.paid', { ...data, totals, status: 'processing' }, later(DAY).toISOString());
    const placed = event('order.created', { ...data, totals, status: 'pending' }, later(DAY - 60_000).toISOString());
    await ingestBatches(t.db, 1, [[paid], [placed], [paid]], later(DAY));
    expect(await incentiveStatus(t.db, 1, STORE, later(DAY))).toMatchObject({ committed: 10_000, redeemed: 10_000 });

    // Three days on, B's coupon expired unused: its 100.00 is free again, A's still counts.
    const d = await cartJourney();
    const e = await cartJourney();
    await run(later(3 * DAY));
    expect((await outcome(d.id)).messages[0]?.template).toBe('cart_reminder_2_coupon');
    expect((await outcome(e.id)).messages.map((m) => m.error_message)).toEqual(['incentive_budget_exhausted']);
    expect(await incentiveStatus(t.db, 1, STORE, later(3 * DAY))).toMatchObject({
      committed: 10_000,
      redeemed: 10_000,
      remaining: 0,
    });
    // A new month (in the store's zone): last month's redemption no longer counts.
    expect(await incentiveStatus(t.db, 1, STORE, new Date('2026-06-30T22:30:00Z'))).toMatchObject({
      month: '2026-07',
      redeemed: 0,
    });
  });

  it('is never overspent by sidecars stepping at once: the budget row is locked while it is summed', async () => {
    await writeBudget(t.db, 1, 30_000, NOW);
    const journeys = await Promise.all(Array.from({ length: 6 }, () => cartJourney()));
    await Promise.all([run(NOW), run(NOW), run(NOW)]);
    const outcomes = await Promise.all(journeys.map((j) => outcome(j.id)));
    const templates = outcomes.map((o) => o.messages.map((m) => m.template).join()).sort();
    expect(templates).toEqual([...Array(3).fill('cart_reminder_2_coupon'), ...Array(3).fill('cart_reminder_2_text')]);
    expect(woo.state.coupons.size).toBe(3);
    expect(await incentiveStatus(t.db, 1, STORE, NOW)).toMatchObject({ committed: 30_000, remaining: 0 });
  });

  it('is 0 until the admin sets one: no coupon, the step goes without', async () => {
    await writeBudget(t.db, 1, 0, NOW);
    const a = await cartJourney();
    await run(NOW);
    expect((await outcome(a.id)).messages.map((m) => m.error_message)).toEqual(['incentive_budget_exhausted']);
    expect(couponPosts()).toEqual([]);
  });
});

describe('making the coupon', () => {
  beforeEach(async () => writeBudget(t.db, 1, 1_000_000, NOW));

  it('takes "code already exists" after a lost answer as made: one coupon, sent once', async () => {
    const a = await cartJourney();
    // The store makes the coupon only after the client has given up waiting.
    woo.delayMs = 400;
    await run(NOW, { coupons: client(150) });
    let o = await outcome(a.id);
    expect(o.messages).toEqual([]);
    expect(o.history.map((h) => [h.kind, h.reason])).toEqual([['deferred', 'store_unreachable']]);
    expect(o.coupons[0]).toMatchObject({ state: 'reserved', create_attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(woo.state.coupons.size).toBe(1);

    woo.delayMs = 0;
    await run(new Date(NOW.getTime() + COUPON_RETRY_MS));
    o = await outcome(a.id);
    expect(o.messages.map((m) => [m.state, m.template])).toEqual([['queued', 'cart_reminder_2_coupon']]);
    expect(o.coupons[0]).toMatchObject({ state: 'created', woo_id: [...woo.state.coupons.keys()][0] });
    expect(o.payload).toContain(o.coupons[0]!.code);
    expect(woo.state.coupons.size).toBe(1);
  });

  it('waits while the store is unreachable, then sends without the incentive after the last try', async () => {
    const a = await cartJourney();
    const down = async () =>
      new WooClient({ url: 'http://127.0.0.1:9', consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret });
    for (let i = 0; i < COUPON_TRIES; i++) await run(new Date(NOW.getTime() + i * COUPON_RETRY_MS), { coupons: down });
    const o = await outcome(a.id);
    expect(o.history.map((h) => [h.kind, h.reason])).toEqual([
      ['deferred', 'store_unreachable'],
      ['deferred', 'store_unreachable'],
      ['send', 'incentive_unavailable'],
    ]);
    expect(o.messages.map((m) => [m.state, m.template, m.error_message])).toEqual([
      ['queued', 'cart_reminder_2_text', 'incentive_unavailable'],
    ]);
    expect(o.coupons[0]).toMatchObject({ state: 'void', create_attempts: COUPON_TRIES });
  });
});

describe('without store access', () => {
  it('sends the step without its incentive at once (nothing to wait for)', async () => {
    await writeBudget(t.db, 1, 1_000_000, NOW);
    const a = await cartJourney();
    await run(NOW, { coupons: async () => null });
    const o = await outcome(a.id);
    expect(o.messages.map((m) => [m.state, m.template, m.error_message])).toEqual([
      ['queued', 'cart_reminder_2_text', 'incentive_unavailable'],
    ]);
    expect(o.coupons[0]).toMatchObject({ state: 'void' });
    expect(await incentiveStatus(t.db, 1, STORE, NOW)).toMatchObject({ committed: 0 });
  });
});

describe('a step that ends up not sending', () => {
  it('voids its coupon, and the cleanup deletes it from the store even when its making was never confirmed', async () => {
    await writeBudget(t.db, 1, 1_000_000, NOW);
    const a = await cartJourney();
    woo.delayMs = 400;
    await run(NOW, { coupons: client(150) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    woo.delayMs = 0;
    expect(woo.state.coupons.size).toBe(1);
    // The shopper emptied the cart meanwhile: the journey stops, the coupon is never sent.
    await t.db.updateTable('carts').set({ item_count: 0, lines: '[]' }).where('cart_key', '=', a.key).execute();
    await run(new Date(NOW.getTime() + COUPON_RETRY_MS));
    const o = await outcome(a.id);
    expect({ state: o.e.state, reason: o.e.stop_reason }).toEqual({ state: 'stopped', reason: 'cart_empty' });
    expect(o.coupons[0]).toMatchObject({ state: 'void', message_id: null });
    expect(await incentiveStatus(t.db, 1, STORE, NOW)).toMatchObject({ committed: 0 });

    expect(await runCouponCleanup(t.db, 1, client(), NOW)).toEqual({ removed: 1, failed: 0 });
    expect(woo.state.coupons.size).toBe(0);
  });
});

describe('the daily cleanup', () => {
  it('deletes expired unused coupons from the store for good, counts a 404 as removed, and is idempotent', async () => {
    await writeBudget(t.db, 1, 1_000_000, NOW);
    const journeys = [await cartJourney(), await cartJourney(), await cartJourney()];
    await run(NOW);
    const rows = (await Promise.all(journeys.map((j) => outcome(j.id)))).map((o) => o.coupons[0]!);
    // One redeemed (kept), one already gone from the store (404), one to delete.
    await t.db
      .updateTable('coupons')
      .set({ redeemed_at: later(DAY), redeemed_value: 10_000 })
      .where('id', '=', rows[0]!.id)
      .execute();
    woo.state.coupons.delete(Number(rows[1]!.woo_id));

    expect(await runCouponCleanup(t.db, 1, client(), later(DAY))).toEqual({ removed: 0, failed: 0 });
    expect(await runCouponCleanup(t.db, 1, client(), later(3 * DAY))).toEqual({ removed: 2, failed: 0 });
    expect([...woo.state.coupons.keys()]).toEqual([Number(rows[0]!.woo_id)]);
    const deletes = woo.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.every((r) => r.query.force === 'true')).toBe(true);
    const states = await t.db.selectFrom('coupons').select(['id', 'state']).orderBy('id').execute();
    expect(states.map((s) => s.state)).toEqual(['created', 'removed', 'removed']);
    expect(await runCouponCleanup(t.db, 1, client(), later(4 * DAY))).toEqual({ removed: 0, failed: 0 });
  });
});
