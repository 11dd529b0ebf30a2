import type { Insertable, Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { CartsTable, OrdersTable } from '../../db/schema';
import { upsertRows } from './upsert';

/** The two tables whose rows are snapshots decided by "newest wins": carts and orders. */
interface SnapshotTables {
  carts: { row: CartsTable; id: string };
  orders: { row: OrdersTable; id: number };
}

const KEY = { carts: 'cart_key', orders: 'order_id' } as const;

const UPDATED: { [T in keyof SnapshotTables]: ReadonlyArray<keyof SnapshotTables[T]['row'] & string> } = {
  carts: [
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
    'lines',
    'started_at',
    'content_at',
    'content_event_id',
    'contact_at',
    'contact_event_id',
    'checkout_details',
    'stamps',
    'updated_at',
  ],
  orders: [
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
    'lines',
    'coupons',
    'payment_method',
    'pay_url',
    'placed_at',
    'paid_at',
    'failed_at',
    'refunded_at',
    'refunded_amount',
    'state_at',
    'state_event_id',
    'stamps',
    'updated_at',
  ],
};

function select<T extends keyof SnapshotTables>(
  trx: Trx,
  table: T,
  storeId: number,
  keys: Array<SnapshotTables[T]['id']>,
) {
  // Kysely cannot type a table chosen at run time; the row type is restored by the caller.
  return trx
    .selectFrom(table as 'carts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where(KEY[table] as 'cart_key', 'in', keys as string[])
    .orderBy(KEY[table] as 'cart_key')
    .forUpdate()
    .execute() as unknown as Promise<Array<Selectable<SnapshotTables[T]['row']>>>;
}

/**
 * Locks the rows of these carts or orders, in key order, so concurrent transactions touching the
 * same ones queue instead of deadlocking. Rows that do not exist yet are first created as empty
 * stubs (INSERT IGNORE: if another transaction creates one at the same moment, we wait for it and
 * lock its row); a key whose `stub` is null is only locked if it exists. Returns every row by
 * key, as stored before this transaction changes it.
 */
export async function lockSnapshots<T extends keyof SnapshotTables>(
  trx: Trx,
  table: T,
  storeId: number,
  ids: ReadonlyArray<SnapshotTables[T]['id']>,
  stub: (id: SnapshotTables[T]['id']) => Insertable<SnapshotTables[T]['row']> | null,
): Promise<Map<SnapshotTables[T]['id'], Selectable<SnapshotTables[T]['row']>>> {
  const keyOf = (row: Selectable<SnapshotTables[T]['row']>) =>
    (row as unknown as Record<string, SnapshotTables[T]['id']>)[KEY[table]] as SnapshotTables[T]['id'];
  const unique = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (unique.length === 0) return new Map();
  const rows = await select(trx, table, storeId, unique);
  const found = new Set(rows.map(keyOf));
  const stubs = unique.filter((id) => !found.has(id)).flatMap((id) => stub(id) ?? []);
  if (stubs.length > 0) {
    await trx
      .insertInto(table)
      .ignore()
      .values(stubs as never)
      .execute();
    const missing = stubs.map((row) => (row as unknown as Record<string, SnapshotTables[T]['id']>)[KEY[table]]);
    rows.push(...(await select(trx, table, storeId, missing as Array<SnapshotTables[T]['id']>)));
  }
  return new Map(rows.map((row) => [keyOf(row), row]));
}

/** Writes the changed rows back in one statement. */
export async function writeSnapshots<T extends keyof SnapshotTables>(
  trx: Trx,
  table: T,
  rows: Array<SnapshotTables[T]['row']>,
): Promise<void> {
  await upsertRows(trx, table, rows as never, UPDATED[table] as never);
}
