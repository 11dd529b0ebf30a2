import { defaultLaneSettings } from '../../src/engine/lane-defaults';
import { holdoutCell } from '../../src/engine/holdout';
import { PAYMENT_LANE, planPaymentEnrollments } from '../../src/recovery/payment/planner';
import { countRows, createTestDatabase, type TestDatabase } from '../support/db';
import { insertPaymentOrder, insertUtilityConsent, setWcPendingOrderEmail } from '../support/payment';
import { insertConsent, insertContact, insertJourney } from '../support/winback';

/**
 * The payment_recovery planner on the real database (recovery/payment/planner.ts): a failed order
 * with a pay link and a contact with utility consent starts a journey due 30 minutes after the
 * failure; a pending one starts once it has waited 30 minutes, unless WooCommerce's own
 * pending-order email reminds about it; paid, cancelled, on-hold, old, linkless or unconsented
 * orders start nothing; a lower journey of the contact is superseded; passes are idempotent and
 * safe to run at once.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const minutesAfter = (at: Date, m: number) => new Date(at.getTime() + m * 60_000);
const settings = { ...defaultLaneSettings('payment_recovery'), enabled: true };
const SALT = 'payment-test-salt';

let t: TestDatabase;
let phones = 0;

/** A contact with utility consent (or none, or marketing only). */
async function shopper(consent: 'utility' | 'marketing' | 'withdrawn' | null = 'utility'): Promise<number> {
  const phone = `+3161235${String(phones++).padStart(4, '0')}`;
  const id = await insertContact(t.db, phone, minutesAgo(10_000));
  if (consent === 'utility' || consent === 'withdrawn') {
    await insertUtilityConsent(t.db, id, phone, 'granted', minutesAgo(9_000));
  }
  if (consent === 'withdrawn') await insertUtilityConsent(t.db, id, phone, 'withdrawn', minutesAgo(8_000));
  if (consent === 'marketing') await insertConsent(t.db, id, phone, 'granted', minutesAgo(9_000));
  return id;
}

/** The payment journeys of an order. */
function journeysOf(orderId: number) {
  return t.db
    .selectFrom('enrollments')
    .selectAll()
    .where('lane', '=', PAYMENT_LANE)
    .where('subject_kind', '=', 'order')
    .where('subject_id', '=', String(orderId))
    .execute();
}

const pass = (now = NOW) => planPaymentEnrollments(t.db, 1, settings, SALT, now);

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t.drop();
});

describe('which orders start a journey', () => {
  const orders: Record<string, number> = {};
  const contacts: Record<string, number> = {};
  let started = 0;

  beforeAll(async () => {
    const seed = async (
      name: string,
      consent: Parameters<typeof shopper>[0],
      order: Omit<Parameters<typeof insertPaymentOrder>[1], 'contactId'>,
    ) => {
      contacts[name] = await shopper(consent);
      orders[name] = await insertPaymentOrder(t.db, { contactId: contacts[name], ...order });
    };
    await seed('failed', 'utility', { status: 'failed', placedAt: minutesAgo(12), failedAt: minutesAgo(10) });
    await seed('failed_prefixed', 'utility', {
      status: 'wc-failed',
      placedAt: minutesAgo(300),
      failedAt: minutesAgo(240),
    });
    await seed('pending_31', 'utility', { status: 'pending', placedAt: minutesAgo(31) });
    await seed('pending_10', 'utility', { status: 'pending', placedAt: minutesAgo(10) });
    await seed('processing', 'utility', { status: 'processing', placedAt: minutesAgo(60) });
    await seed('paid_event', 'utility', { status: 'pending', placedAt: minutesAgo(60), paidAt: minutesAgo(50) });
    await seed('cancelled', 'utility', { status: 'cancelled', placedAt: minutesAgo(60), failedAt: minutesAgo(59) });
    await seed('on_hold', 'utility', { status: 'on-hold', placedAt: minutesAgo(60) });
    await seed('no_pay_url', 'utility', {
      status: 'failed',
      placedAt: minutesAgo(60),
      failedAt: minutesAgo(59),
      payUrl: null,
    });
    await seed('no_consent', null, { status: 'failed', placedAt: minutesAgo(60), failedAt: minutesAgo(59) });
    await seed('marketing_only', 'marketing', { status: 'failed', placedAt: minutesAgo(60), failedAt: minutesAgo(59) });
    await seed('withdrawn', 'withdrawn', { status: 'failed', placedAt: minutesAgo(60), failedAt: minutesAgo(59) });
    await seed('eight_days', 'utility', {
      status: 'failed',
      placedAt: minutesAgo(8 * 1440),
      failedAt: minutesAgo(8 * 1440 - 5),
    });
    // No contact known for the order.
    orders.no_contact = await insertPaymentOrder(t.db, {
      contactId: null,
      status: 'failed',
      placedAt: minutesAgo(60),
      failedAt: minutesAgo(59),
    });
    // Two failed orders of one shopper: one journey at a time, the earlier order's.
    await seed('first_of_two', 'utility', { status: 'failed', placedAt: minutesAgo(90), failedAt: minutesAgo(88) });
    orders.second_of_two = await insertPaymentOrder(t.db, {
      contactId: contacts.first_of_two!,
      status: 'failed',
      placedAt: minutesAgo(40),
      failedAt: minutesAgo(39),
    });
    started = await pass();
  });

  it('starts a failed order’s journey, due 30 minutes after the failure, in the contact’s sticky cell', async () => {
    const [journey, ...more] = await journeysOf(orders.failed!);
    expect(more).toEqual([]);
    expect(journey).toMatchObject({
      contact_id: contacts.failed,
      state: 'active',
      anchor_at: minutesAgo(10),
      episode_at: minutesAgo(12),
      next_step: 0,
      next_due_at: minutesAfter(minutesAgo(10), 30),
      cell: holdoutCell(String(contacts.failed), PAYMENT_LANE, SALT, settings.holdout_percent),
    });
    const history = await t.db
      .selectFrom('enrollment_history')
      .select(['kind'])
      .where('enrollment_id', '=', journey!.id)
      .execute();
    expect(history).toEqual([{ kind: 'enrolled' }]);
  });

  it('starts a failed order whose step is overdue at once, and a pending one after 30 minutes', async () => {
    expect(await journeysOf(orders.failed_prefixed!)).toMatchObject([{ anchor_at: minutesAgo(240), next_due_at: NOW }]);
    expect(await journeysOf(orders.pending_31!)).toMatchObject([
      { state: 'active', anchor_at: minutesAgo(31), next_due_at: NOW },
    ]);
  });

  it.each([
    'pending_10',
    'processing',
    'paid_event',
    'cancelled',
    'on_hold',
    'no_pay_url',
    'no_consent',
    'marketing_only',
    'withdrawn',
    'eight_days',
    'no_contact',
  ])('starts nothing for %s', async (name) => {
    expect(await journeysOf(orders[name]!)).toEqual([]);
  });

  it('starts one journey per shopper at a time: the earlier order’s', async () => {
    expect(await journeysOf(orders.first_of_two!)).toHaveLength(1);
    expect(await journeysOf(orders.second_of_two!)).toEqual([]);
    expect(started).toBe(4);
  });

  it('starts nothing on a second pass, nor on a later one for an order whose journey ended', async () => {
    expect(await pass()).toBe(0);
    await t.db
      .updateTable('enrollments')
      .set({ state: 'completed', next_due_at: null })
      .where('subject_id', '=', String(orders.failed!))
      .execute();
    const before = await countRows(t.db, 'enrollments');
    expect(await pass(minutesAfter(NOW, 5))).toBe(0);
    expect(await countRows(t.db, 'enrollments')).toBe(before);
  });

  it('starts the pending order of 10 minutes once it has waited 30', async () => {
    expect(await pass(minutesAfter(NOW, 20))).toBe(1);
    expect(await journeysOf(orders.pending_10!)).toMatchObject([{ anchor_at: minutesAgo(10) }]);
  });
});

describe('WooCommerce’s own pending-order email', () => {
  afterAll(() => setWcPendingOrderEmail(t.db, null));

  it('when on, leaves pending orders to it, but still starts failed ones', async () => {
    await setWcPendingOrderEmail(t.db, true);
    const pending = await insertPaymentOrder(t.db, {
      contactId: await shopper(),
      status: 'pending',
      placedAt: minutesAgo(45),
    });
    const pendingAfterFailure = await insertPaymentOrder(t.db, {
      contactId: await shopper(),
      status: 'pending',
      placedAt: minutesAgo(45),
      failedAt: minutesAgo(40),
    });
    const failed = await insertPaymentOrder(t.db, {
      contactId: await shopper(),
      status: 'failed',
      placedAt: minutesAgo(6),
      failedAt: minutesAgo(5),
    });
    expect(await pass()).toBe(1);
    expect(await journeysOf(pending)).toEqual([]);
    expect(await journeysOf(pendingAfterFailure)).toEqual([]);
    expect(await journeysOf(failed)).toMatchObject([{ next_due_at: minutesAfter(minutesAgo(5), 30) }]);

    // Turned off: Cartback reminds about them.
    await setWcPendingOrderEmail(t.db, false);
    expect(await pass()).toBe(2);
    expect(await journeysOf(pendingAfterFailure)).toMatchObject([{ anchor_at: minutesAgo(40) }]);
  });
});

describe('precedence and concurrency', () => {
  it('supersedes the contact’s active win-back, browse or cart journey', async () => {
    const superseded: number[] = [];
    for (const lane of ['winback', 'browse_abandonment', 'abandoned_cart']) {
      const contactId = await shopper();
      await insertJourney(t.db, contactId, lane, 'active', minutesAgo(20));
      const order = await insertPaymentOrder(t.db, {
        contactId,
        status: 'failed',
        placedAt: minutesAgo(3),
        failedAt: minutesAgo(2),
      });
      superseded.push(contactId);
      expect(await pass()).toBe(1);
      expect(await journeysOf(order)).toMatchObject([{ state: 'active' }]);
    }
    const lower = await t.db
      .selectFrom('enrollments')
      .select(['lane', 'state', 'stop_reason'])
      .where('contact_id', 'in', superseded)
      .where('lane', '!=', PAYMENT_LANE)
      .orderBy('id')
      .execute();
    expect(lower).toEqual([
      { lane: 'winback', state: 'stopped', stop_reason: 'superseded' },
      { lane: 'browse_abandonment', state: 'stopped', stop_reason: 'superseded' },
      { lane: 'abandoned_cart', state: 'stopped', stop_reason: 'superseded' },
    ]);
  });

  it('starts one journey per order when several passes run at once', async () => {
    const orders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const contactId = await shopper();
      orders.push(
        await insertPaymentOrder(t.db, {
          contactId,
          status: 'failed',
          placedAt: minutesAgo(3),
          failedAt: minutesAgo(2),
        }),
      );
    }
    const started = await Promise.all(Array.from({ length: 4 }, () => pass()));
    expect(started.reduce((a, b) => a + b, 0)).toBe(5);
    for (const order of orders) expect(await journeysOf(order)).toHaveLength(1);
  });

  it('reads candidates in chunks, so orders that cannot start never crowd out one that can', async () => {
    for (let i = 0; i < 5; i++) {
      await insertPaymentOrder(t.db, {
        contactId: await shopper(null),
        status: 'failed',
        placedAt: minutesAgo(100),
        failedAt: minutesAgo(99),
      });
    }
    const order = await insertPaymentOrder(t.db, {
      contactId: await shopper(),
      status: 'failed',
      placedAt: minutesAgo(2),
      failedAt: minutesAgo(1),
    });
    expect(await planPaymentEnrollments(t.db, 1, settings, SALT, NOW, 2)).toBe(1);
    expect(await journeysOf(order)).toHaveLength(1);
  });

  it('starts nothing while the lane is off', async () => {
    const order = await insertPaymentOrder(t.db, {
      contactId: await shopper(),
      status: 'failed',
      placedAt: minutesAgo(2),
      failedAt: minutesAgo(1),
    });
    expect(await planPaymentEnrollments(t.db, 1, { ...settings, enabled: false }, SALT, NOW)).toBe(0);
    expect(await journeysOf(order)).toEqual([]);
  });
});
