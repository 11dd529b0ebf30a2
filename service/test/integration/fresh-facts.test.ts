import { saveLaneSettings } from '../../src/recovery/settings';
import { STORE_RETRY_MS } from '../../src/engine/decision';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';
import { laneSettings, journal } from '../support/journey';
import { testEngine, useFakeStore } from '../support/store';

/**
 * Fresh facts, the sidecar's side: before a cart step goes, the engine asks the store (a fake of
 * the plugin's two signed routes) whether the shopper has ordered since the cart began, holding
 * no database lock meanwhile, and while a step is due soon it asks the store to deliver its
 * outbox every tick. Real HTTP both ways, real MariaDB, a fixed clock.
 */
const t = useTestApp();
const fake = useFakeStore();
let n = 0;
const MINUTE = 60_000;
const later = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE);

/** A consenting shopper's cart, last changed at `at`, as the plugin reports it. */
async function cartAt(at: Date): Promise<{ cartKey: string; phone: string; email: string }> {
  n++;
  const phone = `+9198765${String(45000 + n).padStart(5, '0')}`;
  const cartKey = `fresh-cart-${n}`;
  const email = `fresh${n}@example.com`;
  const iso = at.toISOString();
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone, email }, iso),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined }, iso),
      event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna', email }, iso),
    ),
  );
  expect(reply.status).toBe(200);
  return { cartKey, phone, email };
}

const reportStore = async (apiUrl: string, at: string) => {
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(event('store.updated', { api_url: apiUrl, time_zone: 'UTC' }, at)),
  );
  expect(reply.status).toBe(200);
};
const ordersCalls = () => fake.store.calls.filter((c) => c.route === 'orders');
const deliverCalls = () => fake.store.calls.filter((c) => c.route === 'deliver');

beforeAll(async () => {
  await saveLaneSettings(t.db, 1, 'abandoned_cart', laneSettings(), new Date());
});
afterEach(async () => {
  // Each test's journeys end with it, so the next test's ticks see only their own.
  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('state', '=', 'active')
    .execute();
  fake.store.mode = 'up';
  fake.store.orders = [];
  fake.store.onOrders = undefined;
  fake.store.onDeliver = undefined;
  fake.store.calls.length = 0;
});

describe('before the plugin reports where its routes are', () => {
  it('without STORE_URL there is no store to ask: the step goes without a re-check', async () => {
    const at = new Date('2026-11-02T06:00:00Z');
    const { cartKey } = await cartAt(at);
    await testEngine(t.db).tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued' }]);
    expect(fake.store.calls).toEqual([]);
  });

  it("with STORE_URL the store is asked at STORE_URL's /wp-json/cartback/v1", async () => {
    const at = new Date('2026-11-03T06:00:00Z');
    const { cartKey } = await cartAt(at);
    await testEngine(t.db, { storeUrl: fake.store.url }).tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued' }]);
    expect(ordersCalls()).toMatchObject([{ path: '/wp-json/cartback/v1/sidecar/orders', signed: true }]);
  });
});

describe('the pre-send re-check', () => {
  beforeAll(() => reportStore(fake.store.apiUrl, '2026-11-01T00:00:00Z'));

  it('asks whether the shopper ordered since the cart began, signed, naming the cart, phone and email', async () => {
    const at = new Date('2026-11-04T06:00:00Z');
    const { cartKey, phone, email } = await cartAt(at);
    await testEngine(t.db).tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued', template: 'cart_reminder_1' }]);
    expect(ordersCalls()).toEqual([
      {
        route: 'orders',
        path: '/wp-json/cartback/v1/sidecar/orders',
        signed: true,
        body: { since: at.toISOString(), cart_key: cartKey, phone, email },
      },
    ]);
  });

  it('stops the journey as converted when the store has the order the sidecar has not heard of', async () => {
    const at = new Date('2026-11-05T06:00:00Z');
    const { cartKey, phone } = await cartAt(at);
    fake.store.orders.push({ order_id: 501, status: 'processing', created_at: later(at, 10), phone });
    await testEngine(t.db).tick(later(at, 16));
    const j = await journal(t.db, cartKey);
    expect(j.messages).toEqual([]);
    expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'converted', next_due_at: null });
    expect(j.history.at(-1)).toMatchObject({
      kind: 'stopped',
      reason: 'converted',
      detail: 'the store reports a paid order since the cart began',
    });
  });

  it.each(['pending', 'failed', 'on-hold'])(
    'ends the journey as payment_pending, no conversion, when the store has only a %s order',
    async (status) => {
      const at = new Date(`2026-11-0${['pending', 'failed', 'on-hold'].indexOf(status) + 6}T06:00:00Z`);
      const { cartKey, phone } = await cartAt(at);
      fake.store.orders.push({ order_id: 600 + at.getUTCDate(), status, created_at: later(at, 10), phone });
      await testEngine(t.db).tick(later(at, 16));
      const j = await journal(t.db, cartKey);
      expect(j.messages).toEqual([]);
      expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'payment_pending', next_due_at: null });
      expect(j.history.at(-1)).toMatchObject({
        kind: 'stopped',
        reason: 'payment_pending',
        detail: 'the store reports an unpaid order since the cart began',
      });
    },
  );

  it('sends when the store has only a cancelled order: it was never an order', async () => {
    const at = new Date('2026-11-09T06:00:00Z');
    const { cartKey, phone } = await cartAt(at);
    fake.store.orders.push({ order_id: 650, status: 'cancelled', created_at: later(at, 10), phone });
    await testEngine(t.db).tick(later(at, 16));
    const j = await journal(t.db, cartKey);
    expect(j.messages.map((m) => m.state)).toEqual(['queued']);
    expect(j.enrollment).toMatchObject({ state: 'active', next_step: 1 });
  });

  it("wakes the dispatcher once a re-checked step's message is committed, and not for a journey the store's order ended", async () => {
    const at = new Date('2026-11-05T09:00:00Z');
    const goes = await cartAt(at);
    const ordered = await cartAt(at);
    fake.store.orders.push({ order_id: 502, status: 'processing', created_at: later(at, 10), phone: ordered.phone });
    // What the dispatcher would find when woken: the messages committed by then.
    const seen: Promise<string[]>[] = [];
    const engine = testEngine(t.db, {
      onQueued: () =>
        seen.push(
          t.db
            .selectFrom('messages')
            .innerJoin('enrollments', 'enrollments.id', 'messages.enrollment_id')
            .select('enrollments.subject_id')
            .where('messages.state', '=', 'queued')
            .where('enrollments.subject_id', 'in', [goes.cartKey, ordered.cartKey])
            .execute()
            .then((rows) => rows.map((r) => r.subject_id)),
        ),
    });
    await engine.tick(later(at, 16));
    expect(await Promise.all(seen)).toEqual([[goes.cartKey]]);
    expect((await journal(t.db, ordered.cartKey)).enrollment).toMatchObject({
      state: 'stopped',
      stop_reason: 'converted',
    });
  });

  it('ignores an order placed before the cart began', async () => {
    const at = new Date('2026-11-06T06:00:00Z');
    const { cartKey, phone } = await cartAt(at);
    fake.store.orders.push({ order_id: 502, status: 'completed', created_at: later(at, -60), phone });
    await testEngine(t.db).tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued' }]);
  });

  it.each([
    ['down (503, an HTML error page)', 'down'],
    ['answering garbage', 'garbage'],
  ] as const)(
    'defers the step a minute while the store is %s, never sending; sends once it answers',
    async (_what, mode) => {
      const at = new Date(`2026-11-${mode === 'down' ? '07' : '08'}T06:00:00Z`);
      const { cartKey } = await cartAt(at);
      fake.store.mode = mode;
      const first = later(at, 16);
      await testEngine(t.db).tick(first);
      let j = await journal(t.db, cartKey);
      expect(j.messages).toEqual([]);
      expect(j.enrollment).toMatchObject({ state: 'active', next_step: 0 });
      expect(j.enrollment.next_due_at).toEqual(new Date(first.getTime() + STORE_RETRY_MS));
      expect(j.history.at(-1)).toMatchObject({ kind: 'deferred', reason: 'store_unreachable' });

      // Still down a minute later: still waiting.
      await testEngine(t.db).tick(later(first, 1));
      expect((await journal(t.db, cartKey)).messages).toEqual([]);

      fake.store.mode = 'up';
      await testEngine(t.db).tick(later(first, 2));
      j = await journal(t.db, cartKey);
      expect(j.messages).toMatchObject([{ state: 'queued', step: 0 }]);
      expect(j.history.filter((h) => h.reason === 'store_unreachable')).toHaveLength(2);
    },
  );

  it('defers when the store refuses the signature (a wrong secret): a 401 is no answer', async () => {
    const at = new Date('2026-11-09T06:00:00Z');
    const { cartKey } = await cartAt(at);
    await testEngine(t.db, { secret: 'not-the-shared-secret-0123456789abcdef' }).tick(later(at, 16));
    const j = await journal(t.db, cartKey);
    expect(j.messages).toEqual([]);
    expect(j.history.at(-1)).toMatchObject({ kind: 'deferred', reason: 'store_unreachable' });
    expect(fake.store.calls.length).toBeGreaterThan(0);
    expect(fake.store.calls.every((c) => !c.signed)).toBe(true);
  });

  it('sees an order the store delivers during the check (its outbox posts it here meanwhile): stops', async () => {
    const at = new Date('2026-11-10T06:00:00Z');
    const { cartKey, phone } = await cartAt(at);
    fake.store.onOrders = async () => {
      // The plugin delivers its outbox before it answers: the order reaches the sidecar now,
      // which would wait on any lock the engine held on this contact or cart.
      const order = event(
        'order.created',
        { order_id: 503, phone, cart_key: cartKey, status: 'processing' },
        later(at, 12).toISOString(),
      );
      const reply = await signedPost(t.base, '/v1/events', batch(order));
      expect(reply.status).toBe(200);
    };
    const started = Date.now();
    await testEngine(t.db).tick(later(at, 16));
    expect(Date.now() - started).toBeLessThan(5000);
    const j = await journal(t.db, cartKey);
    expect(j.messages).toEqual([]);
    expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'converted' });
    expect(j.history.at(-1)).toMatchObject({ kind: 'stopped', reason: 'converted', detail: null });
  });

  it('signs the path and query as requested on a store with plain permalinks', async () => {
    await reportStore(fake.store.plainApiUrl, '2026-11-11T00:00:00Z');
    try {
      const at = new Date('2026-11-11T06:00:00Z');
      const { cartKey } = await cartAt(at);
      await testEngine(t.db).tick(later(at, 16));
      expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued' }]);
      expect(ordersCalls()).toMatchObject([
        { path: '/index.php?rest_route=/cartback/v1/sidecar/orders', signed: true },
      ]);
    } finally {
      await reportStore(fake.store.apiUrl, '2026-11-11T00:00:01Z');
    }
  });

  it('asks at STORE_API_URL when it is set, whatever the plugin reported', async () => {
    const at = new Date('2026-11-14T06:00:00Z');
    const { cartKey } = await cartAt(at);
    await testEngine(t.db, { storeApiUrl: fake.store.plainApiUrl }).tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toMatchObject([{ state: 'queued' }]);
    expect(ordersCalls()).toMatchObject([{ path: '/index.php?rest_route=/cartback/v1/sidecar/orders', signed: true }]);
  });
});

describe('pulling the outbox while a step is due soon', () => {
  it('asks the store to deliver every tick while a step is due within 2 minutes, and not otherwise', async () => {
    const at = new Date('2026-11-12T06:00:00Z');
    const { cartKey } = await cartAt(at);
    const engine = testEngine(t.db);
    // Step 1 goes at 16 minutes; step 2, 3 h 45 min later (4 h after the cart, kept apart from step 1).
    await engine.tick(later(at, 16));
    expect((await journal(t.db, cartKey)).messages).toHaveLength(1);
    const pulled = deliverCalls().length;
    await engine.tick(later(at, 60));
    await engine.tick(later(at, 237));
    expect(deliverCalls()).toHaveLength(pulled);
    await engine.tick(later(at, 239.5));
    await engine.tick(later(at, 240));
    expect(deliverCalls()).toHaveLength(pulled + 2);
    expect(deliverCalls().every((c) => c.signed && c.path === '/wp-json/cartback/v1/sidecar/deliver')).toBe(true);
  });

  it('keeps ticking when the store cannot be reached, and sends nothing meanwhile', async () => {
    const at = new Date('2026-11-13T06:00:00Z');
    const { cartKey } = await cartAt(at);
    fake.store.mode = 'down';
    const engine = testEngine(t.db);
    await expect(engine.tick(later(at, 16))).resolves.toEqual({ started: 1, steps: 1 });
    // The failed pull told the tick the store is down: the step waits without another call.
    expect(ordersCalls()).toEqual([]);
    expect((await journal(t.db, cartKey)).history.at(-1)).toMatchObject({ reason: 'store_unreachable' });
  });
});
