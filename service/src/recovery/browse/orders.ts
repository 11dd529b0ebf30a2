import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { BrowseFacts } from '../../engine/browse';
import { parseLines } from '../winback/lines';

/**
 * The orders of a chunk of contacts placed since `since` (`orders_contact`; an order without
 * `placed_at` counts at its `created_at`), any status: engine/browse.ts says which count.
 */
export async function ordersOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
  since: Date,
): Promise<Map<number, BrowseFacts['orders'][number][]>> {
  const byContact = new Map<number, BrowseFacts['orders'][number][]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const { rows } = await sql<{ contact_id: number | string; status: string | null; lines: string | null; at: Date }>`
    SELECT contact_id, status, \`lines\`, COALESCE(placed_at, created_at) AS at FROM orders
    WHERE store_id = ${storeId} AND contact_id IN (${sql.join([...contactIds])})
      AND (placed_at >= ${since} OR (placed_at IS NULL AND created_at >= ${since}))`.execute(db);
  for (const row of rows) {
    byContact.get(Number(row.contact_id))?.push({
      status: row.status,
      productIds: parseLines(row.lines).map((line) => line.productId),
      placedAt: row.at,
    });
  }
  return byContact;
}
