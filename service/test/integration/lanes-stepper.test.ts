import type { LaneName } from '../../src/engine/lanes';
import { createLogger } from '../../src/logger';
import { RecoveryEngine } from '../../src/recovery/engine';
import { saveLaneSettings } from '../../src/recovery/settings';
import { runDueSteps, type StoreAnswer } from '../../src/recovery/stepper';
import type { OrdersQuery } from '../../src/store/client';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { stepContext } from '../support/journey';
import { laneFixtures, settingsOf } from '../support/lanes';

/**
 * The stepper for issue 10's lanes on the real database: a browse, payment-recovery and win-back
 * step each queue a message filled from their own subject (a product, an unpaid order, the
 * offered products) with a tracked link to it; each lane's stop conditions stop the journey with
 * their reason and queue nothing; payment recovery asks the store first, and its own unpaid order
 * is no reason to stop.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const VIEWED_AT = minutesAgo(45);

let t: TestDatabase;
const { contact, enroll, order, cart } = laneFixtures(() => t.db, NOW);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function run(lane: LaneName, askStore?: (q: OrdersQuery) => Promise<StoreAnswer>): Promise<void> {
  await runDueSteps(t.db, stepContext(settingsOf(lane), { lane, ...(askStore ? { askStore } : {}) }), NOW);
}

async function outcome(enrollmentId: number) {
  const e = await t.db.selectFrom('enrollments').selectAll().where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  const messages = await t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', enrollmentId).execute();
  const links = await t.db
    .selectFrom('links')
    .selectAll()
    .where('message_id', 'in', [0, ...messages.map((m) => m.id)])
    .execute();
  const history = await t.db
    .selectFrom('enrollment_history')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .execute();
  return { e, messages, links, history };
}

async function expectStopped(enrollmentId: number, reason: string): Promise<void> {
  const { e, messages, links } = await outcome(enrollmentId);
  expect({ state: e.state, reason: e.stop_reason }).toEqual({ state: 'stopped', reason });
  expect(messages.filter((m) => m.state === 'queued')).toEqual([]);
  expect(links).toEqual([]);
}

const browseOffer = (product: number, name: string, price: number) => ({
  currency: 'EUR',
  products: [
    {
      product_id: product,
      name,
      price,
      image_url: `https://shop.example/img/${product}.jpg`,
      url: `https://shop.example/product/${product}`,
    },
  ],
});

describe('browse abandonment', () => {
  async function browse(product = 7) {
    const c = await contact('marketing');
    const id = await enroll(
      'browse_abandonment',
      'product',
      `${c.id}:${product}`,
      c.id,
      VIEWED_AT,
      browseOffer(product, 'Linen Shirt', 2499),
    );
    return { c, id, product };
  }

  it("queues the product's name, price and image with a link to it", async () => {
    const { c, id, product } = await browse();
    await run('browse_abandonment');
    const { e, messages, links } = await outcome(id);
    expect(e.state).toBe('completed');
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message).toMatchObject({ state: 'queued', category: 'marketing', template: 'browse_reminder_1' });
    const payload = String(message.payload);
    expect(payload).toContain('Linen Shirt');
    expect(payload).toContain('https://shop.example/img/7.jpg');
    expect(payload).toContain('"amount_1000":24990');
    expect(links).toEqual([
      expect.objectContaining({ subject_kind: 'product', subject_id: `${c.id}:${product}`, contact_id: c.id }),
    ]);
    expect(payload).toContain(links[0]!.code);
  });

  it('stops as converted after a paid order since the view', async () => {
    const { c, id } = await browse();
    await order(c.id, 'processing', minutesAgo(10), [99]);
    await run('browse_abandonment');
    await expectStopped(id, 'converted');
  });

  it('stops as product_in_cart when the product was put in a cart after the view', async () => {
    const { c, id, product } = await browse();
    await cart(c.id, minutesAgo(20), [3, product]);
    await run('browse_abandonment');
    await expectStopped(id, 'product_in_cart');
  });

  it('goes on when a cart holding the product was last changed before the view', async () => {
    const { c, id, product } = await browse();
    await cart(c.id, minutesAgo(60), [product]);
    await run('browse_abandonment');
    expect((await outcome(id)).messages.map((m) => m.state)).toEqual(['queued']);
  });

  it('stops as superseded while a payment-recovery journey is active', async () => {
    const { c, id } = await browse();
    const later = await enroll('payment_recovery', 'order', '999999', c.id, minutesAgo(5));
    await t.db
      .updateTable('enrollments')
      .set({ next_due_at: new Date(NOW.getTime() + 3_600_000) })
      .where('id', '=', later)
      .execute();
    await run('browse_abandonment');
    await expectStopped(id, 'superseded');
  });
});

describe('payment recovery', () => {
  async function unpaid(status = 'pending', change: Parameters<typeof order>[4] = {}) {
    const c = await contact('utility');
    const placedAt = minutesAgo(40);
    const orderId = await order(c.id, status, placedAt, [11, 12], change);
    const id = await enroll('payment_recovery', 'order', String(orderId), c.id, placedAt);
    return { c, id, orderId, placedAt };
  }

  it('queues a utility message with the order number, total and a pay link, after asking the store', async () => {
    const { c, id, orderId, placedAt } = await unpaid();
    const asked: OrdersQuery[] = [];
    // The order itself is unpaid: the store says so, and that is no reason to stop here.
    await run('payment_recovery', async (q) => {
      asked.push(q);
      return 'payment_pending';
    });
    expect(asked).toEqual([{ since: placedAt, phone: c.phone }]);
    const { e, messages, links } = await outcome(id);
    expect(e.state).toBe('active');
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message).toMatchObject({ state: 'queued', category: 'utility', template: 'payment_reminder_1' });
    const payload = String(message.payload);
    expect(payload).toContain(`"text":"${orderId}"`);
    expect(payload).toContain('"amount_1000":45990');
    expect(links).toEqual([
      expect.objectContaining({ subject_kind: 'order', subject_id: String(orderId), contact_id: c.id }),
    ]);
    expect(payload).toContain(`"text":"${links[0]!.code}"`);
  });

  it.each([
    ['processing', 'converted'],
    ['completed', 'converted'],
    ['cancelled', 'order_cancelled'],
    ['refunded', 'order_refunded'],
    ['on-hold', 'order_on_hold'],
    ['disputed', 'order_disputed'],
  ])('stops when the order is %s: %s', async (status, reason) => {
    const { id } = await unpaid(status);
    await run('payment_recovery', async () => 'payment_pending');
    await expectStopped(id, reason);
  });

  it('stops as converted when an order.paid was received though the status still says pending', async () => {
    const { id } = await unpaid('pending', { paid: true });
    await run('payment_recovery');
    await expectStopped(id, 'converted');
  });

  it('stops as converted when the contact paid another order with the same products', async () => {
    const { c, id } = await unpaid();
    await order(c.id, 'processing', minutesAgo(10), [12, 40]);
    await run('payment_recovery');
    await expectStopped(id, 'converted');
    const { history } = await outcome(id);
    expect(history.at(-1)?.detail).toBe('the contact paid another order with the same products');
  });

  it('goes on when the other paid order holds none of the same products', async () => {
    const { c, id } = await unpaid();
    await order(c.id, 'processing', minutesAgo(10), [40]);
    await run('payment_recovery');
    expect((await outcome(id)).messages.map((m) => m.state)).toEqual(['queued']);
  });

  it("stops as converted when the store's answer is a paid order", async () => {
    const { id } = await unpaid();
    await run('payment_recovery', async () => 'ordered');
    await expectStopped(id, 'converted');
  });

  it('skips the step (template_unavailable) when the order has no pay link', async () => {
    const { id } = await unpaid('pending', { payUrl: null });
    await run('payment_recovery', async () => 'payment_pending');
    const { e, messages, links } = await outcome(id);
    expect(e.state).toBe('active');
    expect(messages.map((m) => [m.state, m.error_message])).toEqual([['skipped', 'template_unavailable']]);
    expect(links).toEqual([]);
  });

  it('does not go on marketing consent alone', async () => {
    const c = await contact('marketing');
    const orderId = await order(c.id, 'pending', minutesAgo(40), [11]);
    const id = await enroll('payment_recovery', 'order', String(orderId), c.id, minutesAgo(40));
    await run('payment_recovery');
    await expectStopped(id, 'no_consent');
  });
});

describe('win-back', () => {
  const offer = {
    products: [1, 2, 3].map((p) => ({
      product_id: p,
      name: ['Silk Scarf', 'Wool Cap', 'Cotton Tee'][p - 1],
      price: 1000 + p,
      image_url: `https://shop.example/img/${p}.png`,
      url: `https://shop.example/product/${p}`,
      category_id: 10,
    })),
  };

  it('queues the offered products by name, with a link', async () => {
    const c = await contact('marketing');
    const id = await enroll('winback', 'winback', String(c.id), c.id, minutesAgo(90), offer);
    await run('winback');
    const { messages, links } = await outcome(id);
    expect(messages.map((m) => m.state)).toEqual(['queued']);
    const payload = String(messages[0]!.payload);
    expect(payload).toMatch(/Silk Scarf, Wool Cap,? and Cotton Tee/);
    expect(payload).toContain('Kurta Co');
    expect(links).toEqual([expect.objectContaining({ subject_kind: 'winback', subject_id: String(c.id) })]);
  });

  it('stops as converted after a paid order since the journey began', async () => {
    const c = await contact('marketing');
    const id = await enroll('winback', 'winback', String(c.id), c.id, minutesAgo(90), offer);
    await order(c.id, 'completed', minutesAgo(30), [5]);
    await run('winback');
    await expectStopped(id, 'converted');
  });
});

describe("the engine's tick", () => {
  it("takes every lane's due steps with that lane's stored settings: enabled goes, disabled is lane_paused", async () => {
    await saveLaneSettings(t.db, 1, 'winback', settingsOf('winback'), NOW);
    await saveLaneSettings(t.db, 1, 'browse_abandonment', { ...settingsOf('browse_abandonment'), enabled: false }, NOW);
    const a = await contact('marketing');
    const winback = await enroll('winback', 'winback', String(a.id), a.id, minutesAgo(90), {
      products: [{ product_id: 1, name: 'Silk Scarf', price: 1001, image_url: null, url: 'https://shop.example/p/1' }],
    });
    const b = await contact('marketing');
    const browse = await enroll(
      'browse_abandonment',
      'product',
      `${b.id}:7`,
      b.id,
      VIEWED_AT,
      browseOffer(7, 'Linen Shirt', 2499),
    );
    const engine = new RecoveryEngine({
      db: t.db,
      storeId: 1,
      logger: createLogger('silent'),
      store: { timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en' },
      secret: () => 'unused-secret-0123456789abcdefghij',
    });
    await engine.tick(NOW);
    expect((await outcome(winback)).messages.map((m) => m.state)).toEqual(['queued']);
    expect((await outcome(browse)).messages.map((m) => [m.state, m.error_message])).toEqual([
      ['skipped', 'lane_paused'],
    ]);
  });

  it('a lane a monitor paused skips its due steps as lane_paused_by_monitor until resumed', async () => {
    const a = await contact('marketing');
    const winback = await enroll('winback', 'winback', String(a.id), a.id, minutesAgo(90), {
      products: [{ product_id: 1, name: 'Silk Scarf', price: 1001, image_url: null, url: 'https://shop.example/p/1' }],
    });
    await t.db
      .insertInto('monitor_events')
      .values({
        store_id: 1,
        monitor: 'opt_out_rate',
        target: 'winback',
        reason: 'opt_out_rate_high',
        figures: '{}',
        detail: 'test',
        fired_at: NOW,
        open_target: 'winback',
        resumed_at: null,
        resumed_by: null,
      })
      .execute();
    const engine = new RecoveryEngine({
      db: t.db,
      storeId: 1,
      logger: createLogger('silent'),
      store: { timeZone: 'Europe/Berlin', currency: 'EUR', locale: 'en' },
      secret: () => 'unused-secret-0123456789abcdefghij',
    });
    await engine.tick(NOW);
    expect((await outcome(winback)).messages.map((m) => [m.state, m.error_message])).toEqual([
      ['skipped', 'lane_paused_by_monitor'],
    ]);
    await t.db.updateTable('monitor_events').set({ open_target: null, resumed_at: NOW }).execute();
  });
});
