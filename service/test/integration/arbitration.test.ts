import { withTransaction } from '../../src/db/transaction';
import { enroll } from '../../src/recovery/enroll';
import { planCartEnrollments } from '../../src/recovery/planner';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';
import { SALT, journal, laneSettings, minutesLater, tick } from '../support/journey';

/**
 * One journey at a time (engine/arbitration.ts, recovery/enroll.ts), on the real database: a
 * higher lane's journey displaces a lower one (`superseded`, with its history and its queued
 * message skipped), a higher or equal one keeps a new one from starting, and many planners at
 * once still start one journey per contact.
 */
const t = useTestApp({ storeUrl: 'https://shop.example/' });
let n = 0;

async function shopperWithCart(carts = 1): Promise<{ phone: string; cartKeys: string[]; contactId: number }> {
  n++;
  const phone = `+9198766${String(10000 + n).padStart(5, '0')}`;
  const cartKeys = Array.from({ length: carts }, (_, i) => `arb-cart-${n}-${i}`);
  const now = new Date().toISOString();
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, now),
      ...cartKeys.flatMap((cartKey) => [
        event('cart.updated', { cart_key: cartKey, customer_id: undefined }, now),
        event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, now),
      ]),
    ),
  );
  expect(reply.status).toBe(200);
  const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  return { phone, cartKeys, contactId: contact.id };
}

/** An active journey of another lane for the contact, as its planner will start it; optionally with a queued message. */
async function activeJourney(contactId: number, phone: string, lane: string, queued = false): Promise<number> {
  const at = new Date();
  const e = await t.db
    .insertInto('enrollments')
    .values({
      store_id: 1,
      lane,
      contact_id: contactId,
      subject_kind: 'contact',
      subject_id: `${lane}-${contactId}`,
      episode_at: at,
      cell: 'treatment',
      state: 'active',
      anchor_at: at,
      next_step: queued ? 1 : 0,
      next_due_at: new Date(at.getTime() + 3 * 86_400_000),
      created_at: at,
      updated_at: at,
    })
    .executeTakeFirstOrThrow();
  const id = Number(e.insertId);
  if (queued) {
    await t.db
      .insertInto('messages')
      .values({
        store_id: 1,
        enrollment_id: id,
        step: 0,
        lane,
        category: 'marketing',
        contact_id: contactId,
        phone,
        state: 'queued',
        due_at: at,
        template: `${lane}_1`,
        language: 'en',
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  return id;
}

const enrollment = (id: number) =>
  t.db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const historyOf = (id: number) =>
  t.db.selectFrom('enrollment_history').selectAll().where('enrollment_id', '=', id).orderBy('id').execute();
const activeOf = (contactId: number) =>
  t.db
    .selectFrom('enrollments')
    .select(['id', 'lane'])
    .where('contact_id', '=', contactId)
    .where('state', '=', 'active')
    .execute();

describe('one journey at a time', () => {
  it.each(['browse_abandonment', 'winback'])(
    'a cart journey supersedes an active %s journey: stopped, in its history, its queued message skipped',
    async (lane) => {
      const { phone, cartKeys, contactId } = await shopperWithCart();
      const lower = await activeJourney(contactId, phone, lane, true);
      await tick(t.db, laneSettings(), minutesLater(16));
      const cart = await journal(t.db, cartKeys[0]!);
      expect(cart.enrollment).toMatchObject({ state: 'active', lane: 'abandoned_cart' });
      expect(cart.messages.map((m) => m.state)).toEqual(['queued']);
      expect(await enrollment(lower)).toMatchObject({ state: 'stopped', stop_reason: 'superseded', next_due_at: null });
      expect((await historyOf(lower)).at(-1)).toMatchObject({
        kind: 'stopped',
        reason: 'superseded',
        detail: `superseded by the abandoned_cart journey ${cart.enrollment.id}`,
      });
      const message = await t.db
        .selectFrom('messages')
        .select(['state', 'error_message'])
        .where('enrollment_id', '=', lower)
        .executeTakeFirstOrThrow();
      expect(message).toEqual({ state: 'skipped', error_message: 'superseded' });
      expect(await activeOf(contactId)).toEqual([{ id: cart.enrollment.id, lane: 'abandoned_cart' }]);
    },
  );

  it('an active payment recovery keeps the cart journey from starting, until it is over', async () => {
    const { phone, cartKeys, contactId } = await shopperWithCart();
    const payment = await activeJourney(contactId, phone, 'payment_recovery');
    await tick(t.db, laneSettings(), minutesLater(16));
    expect(await activeOf(contactId)).toEqual([{ id: payment, lane: 'payment_recovery' }]);
    expect(await t.db.selectFrom('enrollments').select('id').where('subject_id', '=', cartKeys[0]!).execute()).toEqual(
      [],
    );

    await t.db
      .updateTable('enrollments')
      .set({ state: 'completed', next_due_at: null })
      .where('id', '=', payment)
      .execute();
    await tick(t.db, laneSettings(), minutesLater(17));
    expect((await journal(t.db, cartKeys[0]!)).enrollment).toMatchObject({ state: 'active', lane: 'abandoned_cart' });
  });

  it('leaves a waiting shopper out of the planner’s batch, so others behind them still start', async () => {
    const waiting = await shopperWithCart();
    await activeJourney(waiting.contactId, waiting.phone, 'payment_recovery');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = await shopperWithCart();
    // A batch of one: the older, waiting cart comes first by age, but is not taken.
    expect(await planCartEnrollments(t.db, 1, laneSettings(), SALT, minutesLater(16), 1)).toBe(1);
    expect((await journal(t.db, next.cartKeys[0]!)).enrollment).toMatchObject({ state: 'active' });
  });

  it('a cart journey whose step falls due while a higher journey is active stops as superseded', async () => {
    const { phone, cartKeys, contactId } = await shopperWithCart();
    await tick(t.db, laneSettings(), minutesLater(16));
    // A payment recovery journey begins for the contact (as its planner will start it).
    await activeJourney(contactId, phone, 'payment_recovery');
    await tick(t.db, laneSettings(), minutesLater(241));
    const cart = await journal(t.db, cartKeys[0]!);
    expect(cart.messages.map((m) => m.template)).toEqual(['cart_reminder_1']);
    expect(cart.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'superseded' });
    expect(cart.history.at(-1)).toMatchObject({ kind: 'stopped', reason: 'superseded', step: 1 });
  });

  it('eight planners at once start exactly one journey for a shopper with four idle carts', async () => {
    const { cartKeys, contactId } = await shopperWithCart(4);
    const now = minutesLater(16);
    const started = await Promise.all(
      Array.from({ length: 8 }, () => planCartEnrollments(t.db, 1, laneSettings(), SALT, now)),
    );
    expect(started.reduce((a, b) => a + b, 0)).toBe(1);
    const active = await activeOf(contactId);
    expect(active).toHaveLength(1);
    const rows = await t.db
      .selectFrom('enrollments')
      .select('subject_id')
      .where('contact_id', '=', contactId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(cartKeys).toContain(rows[0]!.subject_id);
  });

  it('starts at most one of many journeys begun at once for one contact, in any lanes (no check-then-insert race)', async () => {
    for (let round = 0; round < 5; round++) {
      const { cartKeys, contactId } = await shopperWithCart(6);
      const at = new Date();
      const lanes = [
        'winback',
        'browse_abandonment',
        'abandoned_cart',
        'abandoned_cart',
        'abandoned_cart',
        'winback',
      ] as const;
      const results = await Promise.all(
        cartKeys.map((cartKey, i) =>
          withTransaction(t.db, (trx) =>
            enroll(
              trx,
              {
                storeId: 1,
                lane: lanes[i]!,
                contactId,
                subject: { kind: 'cart', id: cartKey, episodeAt: at },
                cell: 'treatment',
                anchorAt: at,
                nextDueAt: at,
              },
              at,
            ),
          ),
        ),
      );
      expect(results.some((r) => r.kind === 'started')).toBe(true);
      // Whatever the order they ran in, one journey is left active, of the highest lane that started.
      const active = await activeOf(contactId);
      expect(active).toHaveLength(1);
      expect(active[0]!.lane).toBe('abandoned_cart');
    }
  });
});
