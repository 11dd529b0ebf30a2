import type { Db } from '../../db/database';
import type { BrowseView } from '../../engine/browse';

/** The product views of a chunk of contacts since `since` (`product_views_contact`), oldest first. */
export async function viewsOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
  since: Date,
): Promise<Map<number, BrowseView[]>> {
  const byContact = new Map<number, BrowseView[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return byContact;
  const rows = await db
    .selectFrom('product_views')
    .select(['contact_id', 'product_id', 'name', 'price', 'currency', 'image_url', 'url', 'in_stock', 'viewed_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', [...contactIds])
    .where('viewed_at', '>=', since)
    .orderBy('viewed_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    byContact.get(Number(row.contact_id))?.push({
      productId: Number(row.product_id),
      viewedAt: row.viewed_at,
      name: row.name,
      price: Number(row.price),
      currency: row.currency,
      imageUrl: row.image_url,
      url: row.url,
      inStock: Boolean(row.in_stock),
    });
  }
  return byContact;
}
