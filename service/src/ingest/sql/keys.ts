import type { Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { ContactKeysTable } from '../../db/schema';
import type { Stamped } from '../order';
import { upsertRows } from './upsert';

export type KeyKind = ContactKeysTable['kind'];
export type KeyRow = Selectable<ContactKeysTable>;

/** A key as one string, for maps: "kind:value". */
export const keyId = (kind: KeyKind, value: string | number): string => `${kind}:${value}`;

/** Every key as [kind, value], grouped for one query. */
export interface KeySet {
  browser?: Iterable<string>;
  customer?: Iterable<number>;
  email?: Iterable<string>;
  phone?: Iterable<string>;
  session?: Iterable<string>;
}

const KINDS: KeyKind[] = ['browser', 'customer', 'email', 'phone', 'session'];

function groups(keys: KeySet): Array<[KeyKind, string[]]> {
  return KINDS.flatMap((kind): Array<[KeyKind, string[]]> => {
    const values = [...new Set([...(keys[kind] ?? [])].map(String))].sort();
    return values.length ? [[kind, values]] : [];
  });
}

function select(trx: Trx, storeId: number, keys: Array<[KeyKind, string[]]>) {
  return trx
    .selectFrom('contact_keys')
    .selectAll()
    .where('store_id', '=', storeId)
    .where((eb) => eb.or(keys.map(([kind, values]) => eb.and([eb('kind', '=', kind), eb('value', 'in', values)]))));
}

/**
 * Locks these keys' rows, in (kind, value) order, creating bare ones for keys never seen
 * (INSERT IGNORE: one another transaction creates at the same moment is waited for). Every
 * transaction that reads what a key points at to link a new row, or changes it, holds its lock,
 * so the two never interleave. Returns the rows by keyId, and the keys that had no row.
 */
export async function lockKeys(
  trx: Trx,
  storeId: number,
  keys: KeySet,
): Promise<{ rows: Map<string, KeyRow>; created: Set<string> }> {
  const wanted = groups(keys);
  if (wanted.length === 0) return { rows: new Map(), created: new Set() };
  const rows = await select(trx, storeId, wanted).orderBy('kind').orderBy('value').forUpdate().execute();
  const found = new Set(rows.map((r) => keyId(r.kind, r.value)));
  const missing: Array<[KeyKind, string]> = wanted.flatMap(([kind, values]) =>
    values.filter((v) => !found.has(keyId(kind, v))).map((v): [KeyKind, string] => [kind, v]),
  );
  if (missing.length > 0) {
    await trx
      .insertInto('contact_keys')
      .ignore()
      .values(missing.map(([kind, value]) => ({ store_id: storeId, kind, value })))
      .execute();
    const regroup = groups(
      Object.fromEntries(KINDS.map((k) => [k, missing.filter(([kind]) => kind === k).map(([, v]) => v)])),
    );
    rows.push(...(await select(trx, storeId, regroup).orderBy('kind').orderBy('value').forUpdate().execute()));
  }
  return {
    rows: new Map(rows.map((r) => [keyId(r.kind, r.value), r])),
    created: new Set(missing.map(([kind, value]) => keyId(kind, value))),
  };
}

/** Writes changed key rows back (they are locked). */
export async function writeKeys(trx: Trx, rows: KeyRow[]): Promise<void> {
  await upsertRows(trx, 'contact_keys', rows, [
    'contact_id',
    'ref_phone',
    'ref_email',
    'ref_customer_id',
    'ref_at',
    'ref_event_id',
  ]);
}

/** What these keys point at now (a plain read: committed, and this transaction's own writes). */
export async function readKeys(trx: Trx, storeId: number, keys: KeySet): Promise<Map<string, number>> {
  const wanted = groups(keys);
  if (wanted.length === 0) return new Map();
  const rows = await select(trx, storeId, wanted).execute();
  const out = new Map<string, number>();
  for (const r of rows) if (r.contact_id !== null) out.set(keyId(r.kind, r.value), r.contact_id);
  return out;
}

/** Sessions whose newest login named no phone but one of these emails or customer ids. */
export async function sessionsNaming(
  trx: Trx,
  storeId: number,
  emails: readonly string[],
  customerIds: readonly number[],
): Promise<string[]> {
  if (emails.length + customerIds.length === 0) return [];
  const rows = await trx
    .selectFrom('contact_keys')
    .select('value')
    .where('store_id', '=', storeId)
    .where('kind', '=', 'session')
    .where('ref_phone', 'is', null)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('ref_email', 'in', [...emails])] : []),
        ...(customerIds.length ? [eb('ref_customer_id', 'in', [...customerIds])] : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.value);
}

/** Per email, the newest login without a phone that named it (its customer id and stamp). */
export async function emailLoginsOf(
  trx: Trx,
  storeId: number,
  emails: readonly string[],
): Promise<Map<string, Stamped<number>>> {
  if (emails.length === 0) return new Map();
  const rows = await trx
    .selectFrom('contact_keys')
    .select(['value', 'ref_customer_id', 'ref_at', 'ref_event_id'])
    .where('store_id', '=', storeId)
    .where('kind', '=', 'email')
    .where('value', 'in', [...new Set(emails)])
    .where('ref_customer_id', 'is not', null)
    .execute();
  const out = new Map<string, Stamped<number>>();
  for (const r of rows) {
    if (r.ref_customer_id !== null && r.ref_at && r.ref_event_id) {
      out.set(r.value, { at: r.ref_at, eventId: r.ref_event_id, value: r.ref_customer_id });
    }
  }
  return out;
}
