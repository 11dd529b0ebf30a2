import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import type { ContactFacts } from '../plan';

/**
 * Creates or updates one contact per phone. An attribute is replaced only by facts at least as
 * new as the ones it came from (attributes_at), and a missing value never erases a known one.
 * attributes_at is assigned last because assignments see the columns already updated.
 */
export async function upsertContacts(
  trx: Trx,
  storeId: number,
  facts: readonly ContactFacts[],
  now: Date,
): Promise<void> {
  if (facts.length === 0) return;
  const newer = sql`VALUES(attributes_at) >= attributes_at`;
  const merge = <T>(column: string) =>
    sql<T>`IF(${newer}, COALESCE(VALUES(${sql.ref(column)}), ${sql.ref(column)}), COALESCE(${sql.ref(column)}, VALUES(${sql.ref(column)})))`;
  await trx
    .insertInto('contacts')
    .values(
      facts.map((f) => ({
        store_id: storeId,
        phone: f.phone,
        email: f.email,
        first_name: f.firstName,
        customer_id: f.customerId,
        country: f.country,
        attributes_at: f.at,
        created_at: now,
        updated_at: now,
      })),
    )
    .onDuplicateKeyUpdate({
      email: merge<string | null>('email'),
      first_name: merge<string | null>('first_name'),
      customer_id: merge<number | null>('customer_id'),
      country: merge<string | null>('country'),
      updated_at: sql`VALUES(updated_at)`,
      attributes_at: sql`GREATEST(attributes_at, VALUES(attributes_at))`,
    })
    .execute();
}

export interface ContactIndex {
  byPhone: Map<string, number>;
  byEmail: Map<string, number>;
  byCustomer: Map<number, number>;
}

/**
 * Looks up the contacts behind some phones, emails and customer ids in one query. Where two
 * contacts share an email or customer id, the one seen most recently wins.
 */
export async function findContacts(
  trx: Trx,
  storeId: number,
  keys: { phones: string[]; emails: string[]; customerIds: number[] },
): Promise<ContactIndex> {
  const index: ContactIndex = { byPhone: new Map(), byEmail: new Map(), byCustomer: new Map() };
  if (keys.phones.length + keys.emails.length + keys.customerIds.length === 0) return index;
  const rows = await trx
    .selectFrom('contacts')
    .select(['id', 'phone', 'email', 'customer_id'])
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(keys.phones.length ? [eb('phone', 'in', keys.phones)] : []),
        ...(keys.emails.length ? [eb('email', 'in', keys.emails)] : []),
        ...(keys.customerIds.length ? [eb('customer_id', 'in', keys.customerIds)] : []),
      ]),
    )
    .orderBy('attributes_at', 'asc')
    .execute();
  for (const r of rows) {
    index.byPhone.set(r.phone, r.id);
    if (r.email) index.byEmail.set(r.email, r.id);
    if (r.customer_id) index.byCustomer.set(r.customer_id, r.id);
  }
  return index;
}

/**
 * Contacts learn the customer id a login reported, where they had none. By primary key only, in
 * id order: a range over `(store_id, …)` would lock every contact of the store on the way, and
 * wait for other transactions' new contacts (no semi-consistent read on a secondary index). The
 * ids come from `findContacts`, so they are this store's. Called right after `upsertContacts`, so
 * contacts are locked before carts (by phone there; these are almost always the same rows).
 */
export async function linkCustomers(trx: Trx, customerByContact: ReadonlyMap<number, number>): Promise<void> {
  if (customerByContact.size === 0) return;
  const ids = [...customerByContact.keys()].sort((a, b) => a - b);
  const whens = ids.map((id) => sql`WHEN ${id} THEN ${customerByContact.get(id)}`);
  await trx
    .updateTable('contacts')
    .set({
      customer_id: sql<number>`CASE ${sql.ref('id')} ${sql.join(whens, sql` `)} ELSE ${sql.ref('customer_id')} END`,
    })
    .where('id', 'in', ids)
    .where('customer_id', 'is', null)
    .execute();
}
