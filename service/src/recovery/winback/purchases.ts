import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { isPaidStatus, WINBACK_PAID_STATUSES, type PurchasedLine } from '../../engine/winback';
import { parseLines } from './lines';

/** The paid order lines of a chunk of contacts (for category affinity and what they already bought). */
export async function purchasesOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
): Promise<Map<number, PurchasedLine[]>> {
  const byContact = new Map<number, PurchasedLine[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const { rows } = await sql<{ contact_id: number | string; status: string | null; lines: string | null; at: Date }>`
    SELECT contact_id, status, \`lines\`, COALESCE(placed_at, created_at) AS at FROM orders
    WHERE store_id = ${storeId} AND contact_id IN (${sql.join([...contactIds])})
      AND LOWER(TRIM(status)) IN (${sql.join(WINBACK_PAID_STATUSES.flatMap((s) => [s, `wc-${s}`]))})`.execute(db);
  for (const row of rows) {
    if (!isPaidStatus(row.status)) continue;
    const list = byContact.get(Number(row.contact_id));
    if (!list) continue;
    for (const line of parseLines(row.lines)) {
      list.push({
        productId: line.productId,
        quantity: line.quantity,
        categoryIds: line.categoryIds,
        placedAt: row.at,
      });
    }
  }
  return byContact;
}
