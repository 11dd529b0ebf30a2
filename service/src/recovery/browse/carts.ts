import type { Db } from '../../db/database';
import type { BrowseFacts } from '../../engine/browse';
import { parseLines } from '../winback/lines';

/** The carts of a chunk of contacts whose content changed since `since` (`carts_contact`): their products. */
export async function cartsOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
  since: Date,
): Promise<Map<number, BrowseFacts['carts'][number][]>> {
  const byContact = new Map<number, BrowseFacts['carts'][number][]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const rows = await db
    .selectFrom('carts')
    .select(['contact_id', 'lines', 'content_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', [...contactIds])
    .where('content_at', '>=', since)
    .execute();
  for (const row of rows) {
    if (row.content_at === null) continue;
    byContact.get(Number(row.contact_id))?.push({
      productIds: parseLines(row.lines).map((line) => line.productId),
      changedAt: row.content_at,
    });
  }
  return byContact;
}
