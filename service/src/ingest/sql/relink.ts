import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import type { KeyChanges } from '../identity';
import { chunks } from './upsert';

/**
 * Rows that name a key whose contact changed, found with a plain read: every transaction that
 * adds or changes such a row holds that key's lock (sql/keys.ts), as this one does, so none is
 * missed. The caller locks what it relinks.
 */
export async function cartsNaming(trx: Trx, storeId: number, changed: KeyChanges): Promise<string[]> {
  const { customers, emails, sessions } = changed;
  if (customers.size + emails.size + sessions.size === 0) return [];
  const rows = await trx
    .selectFrom('carts')
    .select('cart_key')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(customers.size ? [eb('customer_id', 'in', [...customers])] : []),
        ...(emails.size ? [eb('email', 'in', [...emails])] : []),
        ...(sessions.size ? [eb('session_id', 'in', [...sessions])] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.cart_key);
}

export async function ordersNaming(trx: Trx, storeId: number, changed: KeyChanges): Promise<number[]> {
  const { customers, emails } = changed;
  if (customers.size + emails.size === 0) return [];
  const rows = await trx
    .selectFrom('orders')
    .select('order_id')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(customers.size ? [eb('customer_id', 'in', [...customers])] : []),
        ...(emails.size ? [eb('email', 'in', [...emails])] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.order_id);
}

/** Product views naming a changed customer id, session or known-browser reference, locked in id order. */
export async function lockViewsNaming(trx: Trx, storeId: number, changed: KeyChanges) {
  const { customers, sessions, browsers } = changed;
  if (customers.size + sessions.size + browsers.size === 0) return [];
  const found = await trx
    .selectFrom('product_views')
    .select('id')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(customers.size ? [eb('customer_id', 'in', [...customers])] : []),
        ...(sessions.size ? [eb('session_id', 'in', [...sessions])] : []),
        ...(browsers.size ? [eb('contact_ref', 'in', [...browsers])] : []),
      ]),
    )
    .execute();
  if (found.length === 0) return [];
  return trx
    .selectFrom('product_views')
    .select(['id', 'customer_id', 'session_id', 'contact_ref', 'contact_id'])
    .where(
      'id',
      'in',
      found.map((r) => r.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Channel nudges naming a changed phone or email, locked in id order. */
export async function lockNudgesNaming(trx: Trx, storeId: number, changed: KeyChanges) {
  const { phones, emails } = changed;
  if (phones.size + emails.size === 0) return [];
  const found = await trx
    .selectFrom('channel_nudges')
    .select('id')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(phones.size ? [eb('phone', 'in', [...phones])] : []),
        ...(emails.size ? [eb('email', 'in', [...emails])] : []),
      ]),
    )
    .execute();
  if (found.length === 0) return [];
  return trx
    .selectFrom('channel_nudges')
    .select(['id', 'phone', 'email', 'contact_id'])
    .where(
      'id',
      'in',
      found.map((r) => r.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Sets each row's contact, by primary key in id order (the rows are locked). */
export async function setContacts(
  trx: Trx,
  table: 'product_views' | 'channel_nudges',
  contactById: ReadonlyMap<number, number | null>,
): Promise<void> {
  const ids = [...contactById.keys()].sort((a, b) => a - b);
  for (const chunk of chunks(ids)) {
    const whens = chunk.map((id) => sql`WHEN ${id} THEN ${contactById.get(id) ?? null}`);
    await trx
      .updateTable(table)
      .set({ contact_id: sql<number | null>`CASE ${sql.ref('id')} ${sql.join(whens, sql` `)} END` })
      .where('id', 'in', chunk)
      .execute();
  }
}
