import type { Trx } from '../../db/database';
import { toLineColumns, type OrderRow, type RowChange } from '../decide';
import { chunks, upsertRows } from './upsert';

const ORDER_COLUMNS = [
  'cart_key',
  'contact_id',
  'customer_id',
  'phone',
  'email',
  'status',
  'currency',
  'subtotal',
  'tax',
  'shipping',
  'discount',
  'total',
  'coupons',
  'payment_method',
  'placed_at',
  'paid_at',
  'failed_at',
  'refunded_at',
  'state_at',
  'state_event_id',
  'updated_at',
] as const;

/** As lockCarts: a stub for each unseen order, then every row locked in id order. */
export async function lockOrders(
  trx: Trx,
  storeId: number,
  orderIds: readonly number[],
  now: Date,
): Promise<Map<number, OrderRow>> {
  if (orderIds.length === 0) return new Map();
  const ids = [...new Set(orderIds)].sort((a, b) => a - b);
  await trx
    .insertInto('orders')
    .ignore()
    .values(ids.map((order_id) => ({ store_id: storeId, order_id, created_at: now, updated_at: now })))
    .execute();
  const rows = await trx
    .selectFrom('orders')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('order_id', 'in', ids)
    .orderBy('order_id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [Number(r.order_id), r]));
}

export async function writeOrders(
  trx: Trx,
  storeId: number,
  changes: ReadonlyArray<RowChange<OrderRow>>,
): Promise<void> {
  if (changes.length === 0) return;
  await upsertRows(
    trx,
    'orders',
    changes.map((c) => c.row),
    ORDER_COLUMNS,
  );
  const replaced = changes.filter((c) => c.lines !== null);
  if (replaced.length === 0) return;
  await trx
    .deleteFrom('order_lines')
    .where('store_id', '=', storeId)
    .where(
      'order_id',
      'in',
      replaced.map((c) => c.row.order_id),
    )
    .execute();
  const lines = replaced.flatMap((c) =>
    toLineColumns(storeId, c.lines ?? []).map((line) => ({ ...line, order_id: c.row.order_id })),
  );
  for (const chunk of chunks(lines)) await trx.insertInto('order_lines').values(chunk).execute();
}
