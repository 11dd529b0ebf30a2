import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import type { ContactRow } from '../contact-facts';
import { upsertRows } from './upsert';

/**
 * Locks the contacts of these phones in phone order: those in `create` are created if missing
 * (a multi-row INSERT … ON DUPLICATE KEY UPDATE, which creates a bare row for a new phone and
 * X-locks an existing one: no shared lock on a duplicate, as INSERT IGNORE would take, so no
 * deadlock between two transactions creating the same phone), those only in `existing` are
 * locked if they still exist (SELECT … FOR UPDATE: a contact erased meanwhile is not brought
 * back). Consecutive phones of one kind go in one statement, the statements in phone order.
 * (The no-op update must not name the AUTO_INCREMENT id: with it, rows of a multi-row insert
 * went missing under concurrency in our runs on MariaDB.) Returns each row as stored before this
 * transaction changes it, and the phones whose contact it created.
 */
export async function lockContacts(
  trx: Trx,
  storeId: number,
  create: ReadonlyArray<{ phone: string; at: Date }>,
  now: Date,
  existing: readonly string[] = [],
): Promise<{ rows: Map<string, ContactRow>; created: Set<string> }> {
  const at = new Map(create.map((p) => [p.phone, p.at]));
  const list = [...new Set([...at.keys(), ...existing])].sort();
  if (list.length === 0) return { rows: new Map(), created: new Set() };
  const runs: string[][] = [];
  for (const phone of list) {
    const last = runs[runs.length - 1];
    if (last && at.has(last[0] as string) === at.has(phone)) last.push(phone);
    else runs.push([phone]);
  }
  for (const run of runs) {
    if (at.has(run[0] as string)) {
      await trx
        .insertInto('contacts')
        .values(
          run.map((phone) => ({
            store_id: storeId,
            phone,
            attributes_at: at.get(phone) as Date,
            created_at: now,
            updated_at: now,
          })),
        )
        .onDuplicateKeyUpdate({ attributes_at: sql<Date>`attributes_at` })
        .execute();
    } else {
      await trx
        .selectFrom('contacts')
        .select('id')
        .where('store_id', '=', storeId)
        .where('phone', 'in', run)
        .orderBy('phone')
        .forUpdate()
        .execute();
    }
  }
  const rows = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('phone', 'in', list)
    .execute();
  // A row this statement created carries this transaction's `now` (another created at the same
  // millisecond counts too: a superset does no harm, its keys are only looked at again).
  const created = rows.filter((r) => at.has(r.phone) && r.created_at.getTime() === now.getTime()).map((r) => r.phone);
  return { rows: new Map(rows.map((r) => [r.phone, r])), created: new Set(created) };
}

/** Writes changed contacts back (they are locked), by phone in phone order, as they were locked. */
export async function writeContacts(trx: Trx, rows: ContactRow[]): Promise<void> {
  await upsertRows(
    trx,
    'contacts',
    rows.map(({ id: _id, ...row }) => row).sort((a, b) => (a.phone < b.phone ? -1 : 1)),
    ['email', 'first_name', 'customer_id', 'country', 'attributes_at', 'stamps', 'updated_at'],
  );
}

/** Contact ids by phone (a plain read: a contact, once created, keeps its phone and id). */
export async function contactIdsByPhone(
  trx: Trx,
  storeId: number,
  phones: readonly string[],
): Promise<Map<string, number>> {
  if (phones.length === 0) return new Map();
  const rows = await trx
    .selectFrom('contacts')
    .select(['id', 'phone'])
    .where('store_id', '=', storeId)
    .where('phone', 'in', [...new Set(phones)])
    .execute();
  return new Map(rows.map((r) => [r.phone, r.id]));
}

/** The contacts that hold these emails or customer ids, with their stamps (a plain read). */
export async function contactsHolding(
  trx: Trx,
  storeId: number,
  emails: readonly string[],
  customerIds: readonly number[],
): Promise<Array<Pick<ContactRow, 'id' | 'phone' | 'email' | 'customer_id' | 'stamps'>>> {
  if (emails.length + customerIds.length === 0) return [];
  return trx
    .selectFrom('contacts')
    .select(['id', 'phone', 'email', 'customer_id', 'stamps'])
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('email', 'in', [...emails])] : []),
        ...(customerIds.length ? [eb('customer_id', 'in', [...customerIds])] : []),
      ]),
    )
    .execute();
}
