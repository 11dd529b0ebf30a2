import type { Trx } from '../../db/database';
import { toLineColumns, type CartRow, type RowChange } from '../decide';
import { chunks, upsertRows } from './upsert';

const CART_COLUMNS = [
  'status',
  'contact_id',
  'customer_id',
  'session_id',
  'email',
  'currency',
  'locale',
  'subtotal',
  'tax',
  'shipping',
  'discount',
  'total',
  'item_count',
  'started_at',
  'content_at',
  'content_event_id',
  'contact_at',
  'contact_event_id',
  'updated_at',
] as const;

/**
 * Makes sure a row exists for each cart (an empty stub for one never seen), then locks them all
 * in key order, so concurrent batches touching the same carts queue instead of deadlocking.
 */
export async function lockCarts(
  trx: Trx,
  storeId: number,
  cartKeys: readonly string[],
  now: Date,
): Promise<Map<string, CartRow>> {
  if (cartKeys.length === 0) return new Map();
  const keys = [...new Set(cartKeys)].sort();
  await trx
    .insertInto('carts')
    .ignore()
    .values(keys.map((cart_key) => ({ store_id: storeId, cart_key, item_count: 0, created_at: now, updated_at: now })))
    .execute();
  const rows = await trx
    .selectFrom('carts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('cart_key', 'in', keys)
    .orderBy('cart_key')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.cart_key, r]));
}

/** Writes changed cart rows and replaces the lines of carts whose content changed. */
export async function writeCarts(trx: Trx, storeId: number, changes: ReadonlyArray<RowChange<CartRow>>): Promise<void> {
  if (changes.length === 0) return;
  await upsertRows(
    trx,
    'carts',
    changes.map((c) => c.row),
    CART_COLUMNS,
  );
  const replaced = changes.filter((c) => c.lines !== null);
  if (replaced.length === 0) return;
  await trx
    .deleteFrom('cart_lines')
    .where('store_id', '=', storeId)
    .where(
      'cart_key',
      'in',
      replaced.map((c) => c.row.cart_key),
    )
    .execute();
  const lines = replaced.flatMap((c) =>
    toLineColumns(storeId, c.lines ?? []).map((line) => ({ ...line, cart_key: c.row.cart_key })),
  );
  for (const chunk of chunks(lines)) await trx.insertInto('cart_lines').values(chunk).execute();
}
