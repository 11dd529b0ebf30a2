import { sql, type Selectable } from 'kysely';
import type { Db, Trx } from '../../db/database';
import type { CouponsTable } from '../../db/schema';

/**
 * The coupons' SQL (the thin edge of recovery/step-coupon.ts): the per-store budget row, locked
 * FOR UPDATE while the budget is summed and a coupon reserved, and the coupon rows themselves.
 */

export type CouponRow = Selectable<CouponsTable>;

/** The budget row locked (created at 0 when the store has none), with what is committed and redeemed. */
export async function lockBudget(
  trx: Trx,
  storeId: number,
  month: { start: Date; end: Date },
  now: Date,
): Promise<{ limit: number; committed: number; redeemed: number }> {
  await trx
    .insertInto('incentive_budgets')
    .ignore()
    .values({ store_id: storeId, monthly_budget: 0, updated_at: now })
    .execute();
  const row = await trx
    .selectFrom('incentive_budgets')
    .select('monthly_budget')
    .where('store_id', '=', storeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { limit: Number(row.monthly_budget), ...(await budgetUse(trx, storeId, month, now)) };
}

/** The budget as it stands, unlocked (for the admin's GET); null fields as 0. */
export async function readBudget(
  db: Db,
  storeId: number,
  month: { start: Date; end: Date },
  now: Date,
): Promise<{ limit: number; committed: number; redeemed: number }> {
  const row = await db
    .selectFrom('incentive_budgets')
    .select('monthly_budget')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return { limit: Number(row?.monthly_budget ?? 0), ...(await budgetUse(db, storeId, month, now)) };
}

export async function writeBudget(db: Db, storeId: number, budget: number, now: Date): Promise<void> {
  await db
    .insertInto('incentive_budgets')
    .values({ store_id: storeId, monthly_budget: budget, updated_at: now })
    .onDuplicateKeyUpdate({ monthly_budget: budget, updated_at: now })
    .execute();
}

/**
 * committed: the worth of coupons reserved or made, not expired and not redeemed; redeemed: what
 * coupons redeemed within the month took off.
 */
async function budgetUse(
  db: Db | Trx,
  storeId: number,
  month: { start: Date; end: Date },
  now: Date,
): Promise<{ committed: number; redeemed: number }> {
  // Two range reads on their own keys (coupons_live, coupons_redeemed), never the whole history.
  const live = await db
    .selectFrom('coupons')
    .select(sql<string | null>`SUM(value)`.as('total'))
    .where('store_id', '=', storeId)
    .where('state', 'in', ['reserved', 'created'])
    .where('expires_at', '>', now)
    .where('redeemed_at', 'is', null)
    .executeTakeFirst();
  const redeemed = await db
    .selectFrom('coupons')
    .select(sql<string | null>`SUM(redeemed_value)`.as('total'))
    .where('store_id', '=', storeId)
    .where('redeemed_at', '>=', month.start)
    .where('redeemed_at', '<', month.end)
    .executeTakeFirst();
  return { committed: Number(live?.total ?? 0), redeemed: Number(redeemed?.total ?? 0) };
}

/** The coupon of an enrollment's step, locked, if one was reserved. */
export function stepCouponRow(trx: Trx, enrollmentId: number, step: number): Promise<CouponRow | undefined> {
  return trx
    .selectFrom('coupons')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .where('step', '=', step)
    .forUpdate()
    .executeTakeFirst();
}

export function couponById(db: Db, id: number): Promise<CouponRow | undefined> {
  return db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCoupon(
  trx: Trx,
  row: Omit<
    CouponRow,
    | 'id'
    | 'create_attempts'
    | 'woo_id'
    | 'message_id'
    | 'redeemed_at'
    | 'redeemed_value'
    | 'redeemed_order_id'
    | 'removed_at'
  >,
): Promise<number> {
  const inserted = await trx.insertInto('coupons').values(row).executeTakeFirstOrThrow();
  return Number(inserted.insertId);
}

export async function markCreated(db: Db, id: number, wooId: number, now: Date): Promise<void> {
  await db
    .updateTable('coupons')
    .set({ state: 'created', woo_id: wooId, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'reserved')
    .execute();
}

/** Counts a failed try to make the coupon; `atLeast` raises the count to it (no use trying again). */
export async function countAttempt(db: Db, id: number, now: Date, atLeast = 0): Promise<void> {
  await db
    .updateTable('coupons')
    .set({ create_attempts: sql<number>`GREATEST(create_attempts + 1, ${atLeast})`, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function voidCoupon(trx: Trx, id: number, now: Date): Promise<void> {
  await trx
    .updateTable('coupons')
    .set({ state: 'void', updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['reserved', 'created'])
    .execute();
}

/** Voids the coupon of an enrollment's step, if one is reserved or made (the step does not send it). */
export async function voidStepCoupon(trx: Trx, enrollmentId: number, step: number, now: Date): Promise<void> {
  await trx
    .updateTable('coupons')
    .set({ state: 'void', updated_at: now })
    .where('enrollment_id', '=', enrollmentId)
    .where('step', '=', step)
    .where('state', 'in', ['reserved', 'created'])
    .where('message_id', 'is', null)
    .execute();
}

export async function linkMessage(trx: Trx, id: number, messageId: number, now: Date): Promise<void> {
  await trx.updateTable('coupons').set({ message_id: messageId, updated_at: now }).where('id', '=', id).execute();
}

/**
 * Coupons to take out of the store: expired and unredeemed ones still there (made, or reserved
 * and perhaps made by a call whose answer was lost), and voided ones.
 */
export function couponsToRemove(db: Db, storeId: number, now: Date, limit: number): Promise<CouponRow[]> {
  return db
    .selectFrom('coupons')
    .selectAll()
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('state', 'in', ['reserved', 'created']),
          eb('expires_at', '<=', now),
          eb('redeemed_at', 'is', null),
        ]),
        eb.and([eb('state', '=', 'void'), eb.or([eb('woo_id', 'is not', null), eb('create_attempts', '>', 0)])]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markRemoved(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable('coupons')
    .set({ state: 'removed', removed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Marks the coupons an order used as redeemed by it (codes compared case-blind, as WooCommerce
 * does): worth min(value, the order's discount), in the month of `at`. A coupon redeemed by
 * another order stays as it was; the same order again writes the same values (idempotent).
 */
export async function redeem(
  trx: Trx,
  storeId: number,
  order: { orderId: number; codes: readonly string[]; discount: number; at: Date },
  now: Date,
): Promise<void> {
  if (order.codes.length === 0) return;
  await trx
    .updateTable('coupons')
    .set({
      redeemed_at: order.at,
      redeemed_order_id: order.orderId,
      redeemed_value: sql<number>`LEAST(value, ${Math.max(0, order.discount)})`,
      updated_at: now,
    })
    .where('store_id', '=', storeId)
    .where(
      sql<string>`LOWER(code)`,
      'in',
      order.codes.map((c) => c.toLowerCase()),
    )
    .where((eb) => eb.or([eb('redeemed_order_id', 'is', null), eb('redeemed_order_id', '=', order.orderId)]))
    .execute();
}

/** The live coupon code of a message (made, not expired), or null. */
export async function messageCoupon(db: Db, messageId: number, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('coupons')
    .select('code')
    .where('message_id', '=', messageId)
    .where('state', '=', 'created')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.code ?? null;
}
