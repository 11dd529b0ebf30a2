import { sql } from 'kysely';
import type { Db } from '../../src/db/database';

/**
 * The facts one store holds, as plain data keyed by natural keys (a contact by phone, a cart by
 * key, an order by id, a view, nudge or consent by the event that reported it), so two stores
 * fed the same events can be compared: auto-increment ids are replaced by the phone of the
 * contact they point at, and bookkeeping times (created_at, updated_at, recorded_at: when the
 * sidecar wrote a row, not when anything happened) are left out. Known browsers (contact_keys
 * of kind `browser`) are facts too: whom each reference points at, and the link that says so.
 */
export type FactsDump = Record<string, Map<string, Record<string, unknown>>>;

const QUERIES: Record<string, (storeId: number) => ReturnType<typeof sql>> = {
  contacts: (s) => sql`SELECT phone AS k, email, first_name, customer_id, locale, time_zone, country, attributes_at
    FROM contacts WHERE store_id = ${s}`,
  consent_ledger: (s) => sql`SELECT l.event_id AS k, c.phone AS contact, l.phone, l.email, l.scope, l.action, l.source,
      l.text, l.text_version, l.occurred_at
    FROM consent_ledger l LEFT JOIN contacts c ON c.id = l.contact_id WHERE l.store_id = ${s}`,
  carts: (s) => sql`SELECT t.cart_key AS k, t.status, c.phone AS contact, t.customer_id, t.session_id, t.email,
      t.currency, t.locale, t.subtotal, t.tax, t.shipping, t.discount, t.total, t.item_count, t.lines, t.started_at,
      t.content_at, t.content_event_id, t.contact_at, t.contact_event_id, t.checkout_details
    FROM carts t LEFT JOIN contacts c ON c.id = t.contact_id WHERE t.store_id = ${s}`,
  orders: (s) => sql`SELECT o.order_id AS k, o.cart_key, c.phone AS contact, o.customer_id, o.phone, o.email, o.status,
      o.currency, o.subtotal, o.tax, o.shipping, o.discount, o.total, o.lines, o.coupons, o.payment_method,
      o.pay_url, o.placed_at, o.paid_at, o.failed_at, o.refunded_at, o.refunded_amount, o.state_at, o.state_event_id
    FROM orders o LEFT JOIN contacts c ON c.id = o.contact_id WHERE o.store_id = ${s}`,
  product_views: (s) => sql`SELECT v.event_id AS k, c.phone AS contact, v.session_id, v.customer_id, v.contact_ref,
      v.product_id,
      v.name, v.price, v.currency, v.image_url, v.url, v.in_stock, v.categories, v.viewed_at
    FROM product_views v LEFT JOIN contacts c ON c.id = v.contact_id WHERE v.store_id = ${s}`,
  browsers: (s) => sql`SELECT k.value AS k, c.phone AS contact, k.ref_phone, k.ref_email, k.ref_at, k.ref_event_id
    FROM contact_keys k LEFT JOIN contacts c ON c.id = k.contact_id WHERE k.store_id = ${s} AND k.kind = 'browser'`,
  channel_nudges: (s) => sql`SELECT n.event_id AS k, c.phone AS contact, n.channel, n.phone, n.email, n.subject_kind,
      n.subject_id, n.sent_at
    FROM channel_nudges n LEFT JOIN contacts c ON c.id = n.contact_id WHERE n.store_id = ${s}`,
};

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export async function dumpFacts(db: Db, storeId: number): Promise<FactsDump> {
  const dump: FactsDump = {};
  for (const [table, query] of Object.entries(QUERIES)) {
    const { rows } = await query(storeId).execute(db);
    const byKey = new Map<string, Record<string, unknown>>();
    for (const row of rows as Array<Record<string, unknown>>) {
      const { k, ...rest } = row;
      byKey.set(String(k), Object.fromEntries(Object.entries(rest).map(([c, v]) => [c, plain(v)])));
    }
    dump[table] = byKey;
  }
  return dump;
}

/** Per table and column, how many rows differ (and rows only one side has), with one example each. */
export function diffFacts(
  expected: FactsDump,
  actual: FactsDump,
): Array<{ table: string; column: string; rows: number; example: string }> {
  const out = new Map<string, { table: string; column: string; rows: number; example: string }>();
  const note = (table: string, column: string, example: string) => {
    const id = `${table}.${column}`;
    const entry = out.get(id) ?? { table, column, rows: 0, example };
    entry.rows++;
    out.set(id, entry);
  };
  for (const [table, rows] of Object.entries(expected)) {
    const other = actual[table] ?? new Map();
    for (const [key, row] of rows) {
      const theirs = other.get(key);
      if (!theirs) {
        note(table, '(row missing)', key);
        continue;
      }
      for (const [column, value] of Object.entries(row)) {
        if (JSON.stringify(value) !== JSON.stringify(theirs[column])) {
          note(table, column, `${key}: ${JSON.stringify(value)} vs ${JSON.stringify(theirs[column])}`);
        }
      }
    }
    for (const key of other.keys()) if (!rows.has(key)) note(table, '(extra row)', key);
  }
  return [...out.values()];
}
