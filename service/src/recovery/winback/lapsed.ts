import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { NOT_AN_ORDER_STATUSES } from '../../engine/conversion';
import { WINBACK_PAID_STATUSES } from '../../engine/winback';

/** A contact whose orders say it may have lapsed: its newest paid order and its newest order of any kind. */
export interface LapsedRow {
  contactId: number;
  lastPaidAt: Date;
  lastOrderAt: Date;
}

/** Statuses as stored, with and without WooCommerce's `wc-` prefix, for an `IN` list (compared lower-cased). */
function storedForms(statuses: readonly string[]): string[] {
  return statuses.flatMap((s) => [s, `wc-${s}`]);
}

/**
 * One keyset chunk of contacts whose last paid order (processing, completed) was placed at or
 * before `cutoff` with no order of any kind since (a pending or failed one counts; cancelled,
 * trashed and draft ones do not): a grouped scan of `orders_winback` in contact order from
 * `afterContactId`, at most `limit` contacts. Consent, the repeat window and active journeys are
 * checked afterwards (eligibility.ts, engine/winback.ts). An order without `placed_at` counts at
 * its `created_at`.
 */
export async function lapsedChunk(
  db: Db,
  storeId: number,
  cutoff: Date,
  afterContactId: number,
  limit: number,
): Promise<LapsedRow[]> {
  const paid = storedForms(WINBACK_PAID_STATUSES);
  const notOrders = storedForms(NOT_AN_ORDER_STATUSES);
  const at = sql`COALESCE(placed_at, created_at)`;
  const { rows } = await sql<{ contact_id: number | string; last_paid: Date; last_order: Date }>`
    SELECT contact_id,
      MAX(CASE WHEN LOWER(TRIM(status)) IN (${sql.join(paid)}) THEN ${at} END) AS last_paid,
      MAX(CASE WHEN status IS NULL OR LOWER(TRIM(status)) NOT IN (${sql.join(notOrders)}) THEN ${at} END) AS last_order
    FROM orders FORCE INDEX (orders_winback)
    WHERE store_id = ${storeId} AND contact_id > ${afterContactId}
    GROUP BY contact_id
    HAVING last_paid IS NOT NULL AND last_paid <= ${cutoff} AND last_order <= last_paid
    ORDER BY contact_id
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ contactId: Number(r.contact_id), lastPaidAt: r.last_paid, lastOrderAt: r.last_order }));
}
