import { runAttributionPass } from '../../src/attribution/pass';
import { newLinkCode } from '../../src/links/codes';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { laneFixtures } from '../support/lanes';

/**
 * The attribution pass on the real database: a click then a paid order is recovered, a delivery
 * then a paid order influenced, each with its message, lane and step; the facts arriving in
 * another order give the same row; a refund afterwards zeroes the amount; a second pass over the
 * same facts changes nothing. The pass runs on a simulated clock, a minute apart, as its
 * scheduler would.
 */
const T0 = new Date('2026-06-15T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let t: TestDatabase;
const { contact, enroll, order } = laneFixtures(() => t.db, T0);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** A message of the contact's journey, sent at `sentAt` and delivered at `deliveredAt` (null: never). */
async function message(
  enrollmentId: number,
  contactId: number,
  step: number,
  sentAt: Date,
  deliveredAt: Date | null,
  state: 'delivered' | 'read' | 'held_out' = 'delivered',
): Promise<number> {
  const inserted = await t.db
    .insertInto('messages')
    .values({
      store_id: 1,
      enrollment_id: enrollmentId,
      step,
      lane: 'abandoned_cart',
      category: 'marketing',
      contact_id: contactId,
      phone: '+491511200000',
      state,
      due_at: sentAt,
      template: 'cart_reminder_1',
      language: 'en',
      payload: '[]',
      sent_at: state === 'held_out' ? null : sentAt,
      delivered_at: deliveredAt,
      created_at: sentAt,
      updated_at: deliveredAt ?? sentAt,
    })
    .executeTakeFirstOrThrow();
  return Number(inserted.insertId);
}

/** The shopper's first open of the message's link at `clickedAt`, as the sidecar records it. */
async function click(messageId: number, contactId: number, clickedAt: Date): Promise<void> {
  const code = newLinkCode();
  await t.db
    .insertInto('links')
    .values({
      code,
      store_id: 1,
      message_id: messageId,
      subject_kind: 'cart',
      subject_id: `cart-${contactId}`,
      contact_id: contactId,
      created_at: clickedAt,
      expires_at: at(7 * 24 * 60),
    })
    .execute();
  await t.db
    .insertInto('clicks')
    .values({
      store_id: 1,
      code,
      message_id: messageId,
      contact_id: contactId,
      clicked_at: clickedAt,
      last_opened_at: clickedAt,
    })
    .execute();
}

const rowOf = (orderId: number) =>
  t.db.selectFrom('attributions').selectAll().where('order_id', '=', orderId).executeTakeFirst();

/** A journey with one message for a new contact: its ids. */
async function journey(step = 0) {
  const who = await contact('marketing');
  const enrollmentId = await enroll('abandoned_cart', 'cart', `cart-${who.id}`, who.id, at(-600), null, 'completed');
  return { contactId: who.id, enrollmentId, messageId: await message(enrollmentId, who.id, step, at(-300), at(-299)) };
}

let clock = 0;
/** The next pass, a minute (or `minutes`) after the previous one. */
const pass = (minutes = 1) => runAttributionPass(t.db, 1, at((clock += minutes)));

/** An order as ingest stores it: stamped `updated_at` when it arrives (now, on the simulated clock). */
async function placed(...args: Parameters<typeof order>): Promise<number> {
  const orderId = await order(...args);
  await t.db
    .updateTable('orders')
    .set({ updated_at: at(clock) })
    .where('order_id', '=', orderId)
    .execute();
  return orderId;
}

describe('the attribution pass', () => {
  it('attributes a paid order after a click as recovered, with its message, lane and step', async () => {
    const j = await journey(1);
    await click(j.messageId, j.contactId, at(-120));
    const orderId = await placed(j.contactId, 'processing', at(-60), [42], { paid: true, total: 4599 });

    await pass();

    expect(await rowOf(orderId)).toMatchObject({
      kind: 'recovered',
      message_id: j.messageId,
      lane: 'abandoned_cart',
      step: 1,
      enrollment_id: j.enrollmentId,
      coupon_code: null,
      touched_at: at(-120),
      amount: 4599,
      currency: 'EUR',
      refunded: 0,
    });
  });

  it('attributes a paid order after a delivery without a click as influenced', async () => {
    const j = await journey();
    const orderId = await placed(j.contactId, 'completed', at(-10), [42], { paid: true, total: 2500 });

    await pass();

    expect(await rowOf(orderId)).toMatchObject({ kind: 'influenced', message_id: j.messageId, touched_at: at(-299) });
  });

  it('attributes nothing to an unpaid order, nor to a held-out message', async () => {
    const unpaid = await journey();
    await click(unpaid.messageId, unpaid.contactId, at(-200));
    const pending = await placed(unpaid.contactId, 'pending', at(-100), [42]);
    const held = await contact('marketing');
    const enrollmentId = await enroll(
      'abandoned_cart',
      'cart',
      `cart-${held.id}`,
      held.id,
      at(-600),
      null,
      'completed',
    );
    await message(enrollmentId, held.id, 0, at(-300), null, 'held_out');
    const heldOrder = await placed(held.id, 'processing', at(-100), [42], { paid: true });

    await pass();

    expect(await rowOf(pending)).toBeUndefined();
    expect(await rowOf(heldOrder)).toBeUndefined();
  });

  it('gives the same row whatever order the click and the order arrive in', async () => {
    // First: the click is recorded, then the order arrives.
    const a = await journey();
    await click(a.messageId, a.contactId, at(-120));
    await pass();
    const orderA = await placed(a.contactId, 'processing', at(-60), [42], { paid: true, total: 3000 });
    await pass();

    // Then the other way round: the order first (influenced only by the delivery), and the
    // click, which happened before the order, is recorded late with its own earlier time.
    const b = await journey();
    const orderB = await placed(b.contactId, 'processing', at(-60), [42], { paid: true, total: 3000 });
    await pass();
    expect(await rowOf(orderB)).toMatchObject({ kind: 'influenced' });
    await pass(10); // Long enough that only the click can bring the order back into a pass.
    await click(b.messageId, b.contactId, at(-120));
    await pass();

    const rowA = await rowOf(orderA);
    const rowB = await rowOf(orderB);
    expect(rowA).toMatchObject({ kind: 'recovered', message_id: a.messageId });
    expect(rowB).toMatchObject({ kind: 'recovered', message_id: b.messageId });
    // The same attribution, message aside (each contact has its own).
    const same = (row: typeof rowA) => ({ ...row, order_id: 0, message_id: 0, enrollment_id: 0, decided_at: null });
    expect(same(rowB)).toEqual(same(rowA));
  });

  it('keeps the kind and zeroes the amount when the order is refunded afterwards', async () => {
    const j = await journey();
    await click(j.messageId, j.contactId, at(-120));
    const orderId = await placed(j.contactId, 'completed', at(-60), [42], { paid: true, total: 4599 });
    await pass();
    expect(await rowOf(orderId)).toMatchObject({ kind: 'recovered', amount: 4599, refunded: 0 });

    await t.db
      .updateTable('orders')
      .set({ status: 'refunded', refunded_at: at(clock), updated_at: at(clock) })
      .where('order_id', '=', orderId)
      .execute();
    await pass();

    expect(await rowOf(orderId)).toMatchObject({ kind: 'recovered', message_id: j.messageId, amount: 0, refunded: 1 });
  });

  it('subtracts a partial refund and keeps the kind', async () => {
    const j = await journey();
    await click(j.messageId, j.contactId, at(-120));
    const orderId = await placed(j.contactId, 'completed', at(-60), [42], { paid: true, total: 4599 });
    await t.db
      .updateTable('orders')
      .set({ refunded_at: at(clock), refunded_amount: 1000, updated_at: at(clock) })
      .where('order_id', '=', orderId)
      .execute();
    await pass();

    expect(await rowOf(orderId)).toMatchObject({ kind: 'recovered', amount: 3599, refunded: 1 });
  });

  it('changes nothing on a second pass over the same facts', async () => {
    const before = await t.db.selectFrom('attributions').selectAll().orderBy('order_id').execute();
    expect(before.length).toBeGreaterThanOrEqual(4);

    // Every order looked at again (the watermark forgotten), and then the usual next pass.
    await t.db.deleteFrom('settings').where('name', '=', 'attribution_watermark').execute();
    expect(await pass()).toMatchObject({ written: 0, removed: 0 });
    expect(await pass()).toMatchObject({ written: 0, removed: 0 });

    expect(await t.db.selectFrom('attributions').selectAll().orderBy('order_id').execute()).toEqual(before);
  });
});
