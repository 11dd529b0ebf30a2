import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { AttributionsTable } from '../db/schema';
import { RECOVERED_WINDOW_MS, type AttributionMessage, type AttributionOrder } from '../engine/attribution';

/**
 * The attribution pass's SQL (the thin edge; the rules are engine/attribution.ts). Times are
 * DATETIME(3) UTC; every query is by store.
 */

const WATERMARK = 'attribution_watermark';

/** Where the previous pass got to: its start, and the newest click it had seen. */
export interface Watermark {
  at: Date | null;
  clickId: number;
}

export async function readWatermark(db: Db, storeId: number): Promise<Watermark> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('store_id', '=', storeId)
    .where('name', '=', WATERMARK)
    .executeTakeFirst();
  if (!row) return { at: null, clickId: 0 };
  const value = JSON.parse(row.value) as { at?: unknown; click_id?: unknown };
  const at = typeof value.at === 'string' ? new Date(value.at) : null;
  return {
    at: at && !Number.isNaN(at.getTime()) ? at : null,
    clickId: typeof value.click_id === 'number' ? value.click_id : 0,
  };
}

export async function writeWatermark(db: Db, storeId: number, mark: { at: Date; clickId: number }, now: Date) {
  const value = JSON.stringify({ at: mark.at.toISOString(), click_id: mark.clickId });
  await db
    .insertInto('settings')
    .values({ store_id: storeId, name: WATERMARK, value, updated_at: now })
    .onDuplicateKeyUpdate({ value, updated_at: now })
    .execute();
}

/** The newest click's id (0 for none). */
export async function newestClickId(db: Db, storeId: number): Promise<number> {
  const row = await db
    .selectFrom('clicks')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * The orders whose attribution may have changed since `since` (null: every order — the first
 * pass): orders changed since (`updated_at`: a status, a payment, a refund, a new contact), and
 * the orders a new touch can reach — placed at most 7 days after a click that is new (its id past
 * `clickId`, or opened since) or a message whose delivery or read was recorded since, by the same
 * contact. One statement, set-based.
 */
export async function changedOrderIds(db: Db, storeId: number, since: Date | null, clickId: number): Promise<number[]> {
  if (since === null) {
    const rows = await db.selectFrom('orders').select('order_id').where('store_id', '=', storeId).execute();
    return rows.map((r) => Number(r.order_id));
  }
  const touchAt = sql`LEAST(COALESCE(delivered_at, read_at), COALESCE(read_at, delivered_at))`;
  const { rows } = await sql<{ order_id: number }>`
    SELECT order_id FROM orders WHERE store_id = ${storeId} AND updated_at >= ${since}
    UNION
    SELECT o.order_id FROM (
        SELECT contact_id, clicked_at AS at FROM clicks
          WHERE store_id = ${storeId} AND (id > ${clickId} OR last_opened_at >= ${since})
        UNION ALL
        SELECT contact_id, ${touchAt} AS at FROM messages
          WHERE store_id = ${storeId} AND updated_at >= ${since}
            AND (delivered_at IS NOT NULL OR read_at IS NOT NULL)
      ) AS touch
      JOIN orders o ON o.store_id = ${storeId} AND o.contact_id = touch.contact_id
        AND o.placed_at >= touch.at
        AND o.placed_at <= touch.at + INTERVAL ${RECOVERED_WINDOW_MS / 1000} SECOND`.execute(db);
  return rows.map((r) => Number(r.order_id));
}

export interface OrderFacts extends AttributionOrder {
  orderId: number;
}

/** The orders' facts, as the decision reads them. */
export async function readOrders(db: Db, storeId: number, orderIds: readonly number[]): Promise<OrderFacts[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .select([
      'order_id',
      'contact_id',
      'status',
      'placed_at',
      'paid_at',
      'refunded_at',
      'refunded_amount',
      'total',
      'currency',
    ])
    .where('store_id', '=', storeId)
    .where('order_id', 'in', orderIds)
    .execute();
  return rows.map((r) => ({
    orderId: Number(r.order_id),
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    status: r.status,
    placedAt: r.placed_at,
    paidAt: r.paid_at,
    refundedAt: r.refunded_at,
    refundedAmount: r.refunded_amount === null ? null : Number(r.refunded_amount),
    total: r.total === null ? null : Number(r.total),
    currency: r.currency,
  }));
}

/**
 * The contacts' messages that could touch an order placed at or after `from`, each with its
 * clicks: the ones clicked no earlier than 7 days before it, and the ones changed (sent,
 * delivered, read) since then. A message sent long ago can still have been clicked within the
 * window, so clicked messages are read by id.
 */
export async function readMessages(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
  from: Date,
): Promise<AttributionMessage[]> {
  if (contactIds.length === 0) return [];
  const earliest = new Date(from.getTime() - RECOVERED_WINDOW_MS);
  const clicks = await db
    .selectFrom('clicks')
    .select(['message_id', 'clicked_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', contactIds)
    .where('clicked_at', '>=', earliest)
    .execute();
  const byMessage = new Map<number, Date[]>();
  for (const c of clicks) {
    const id = Number(c.message_id);
    byMessage.set(id, [...(byMessage.get(id) ?? []), c.clicked_at]);
  }
  const clicked = [...byMessage.keys()];
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'contact_id', 'lane', 'step', 'enrollment_id', 'state', 'delivered_at', 'read_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', contactIds)
    .where((eb) =>
      clicked.length > 0
        ? eb.or([eb('updated_at', '>=', earliest), eb('id', 'in', clicked)])
        : eb('updated_at', '>=', earliest),
    )
    .execute();
  const ids = messages.map((m) => m.id);
  const coupons =
    ids.length === 0
      ? []
      : await db
          .selectFrom('coupons')
          .select(['message_id', 'code'])
          .where('store_id', '=', storeId)
          .where('message_id', 'in', ids)
          .execute();
  const couponOf = new Map(coupons.map((c) => [Number(c.message_id), c.code]));
  return messages.map((m) => ({
    id: Number(m.id),
    contactId: Number(m.contact_id),
    lane: m.lane,
    step: m.step,
    enrollmentId: Number(m.enrollment_id),
    state: m.state,
    deliveredAt: m.delivered_at,
    readAt: m.read_at,
    clicks: byMessage.get(Number(m.id)) ?? [],
    // The coupon the message carried (recovery/step-coupon.ts), whatever became of it since.
    couponCode: couponOf.get(Number(m.id)) ?? null,
  }));
}

export async function readAttributions(
  db: Db,
  storeId: number,
  orderIds: readonly number[],
): Promise<Selectable<AttributionsTable>[]> {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('attributions')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('order_id', 'in', orderIds)
    .execute();
}

/** Writes the rows in one statement: new ones inserted, existing ones replaced. */
export async function upsertAttributions(db: Db, rows: readonly Insertable<AttributionsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  // The row's own value (MariaDB's VALUES() in ON DUPLICATE KEY UPDATE); typed as any column's.
  const v = (column: keyof AttributionsTable) => sql<never>`VALUES(${sql.ref(column)})`;
  await db
    .insertInto('attributions')
    .values([...rows])
    .onDuplicateKeyUpdate({
      kind: v('kind'),
      message_id: v('message_id'),
      lane: v('lane'),
      step: v('step'),
      enrollment_id: v('enrollment_id'),
      coupon_code: v('coupon_code'),
      touched_at: v('touched_at'),
      amount: v('amount'),
      currency: v('currency'),
      refunded: v('refunded'),
      decided_at: v('decided_at'),
    })
    .execute();
}

export async function deleteAttributions(db: Db, storeId: number, orderIds: readonly number[]): Promise<void> {
  if (orderIds.length === 0) return;
  await db.deleteFrom('attributions').where('store_id', '=', storeId).where('order_id', 'in', orderIds).execute();
}
