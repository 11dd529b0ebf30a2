import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { CandidateProduct } from '../../engine/winback';
import { parseLines } from './lines';

/**
 * Where win-back's candidate products come from: THE SEAM FOR LIVE STOCK. Until the store can be
 * asked for its in-stock products (issue 11), the pool is the products the store showed recently:
 * lines of carts and orders and product views of the last `POOL_WINDOW_DAYS`, each with the
 * latest name, price and image seen (views also carry the stock state; a product last viewed out
 * of stock is left out). A `ProductPool` that asks the store replaces `recentProductsPool`.
 */
export type ProductPool = (db: Db, storeId: number, now: Date) => Promise<CandidateProduct[]>;

export const POOL_WINDOW_DAYS = 30;
/** At most this many of the newest carts, orders and views are read to build the pool. */
export const POOL_SOURCE_LIMIT = 5000;

interface Seen {
  product: CandidateProduct;
  at: number;
}

export const recentProductsPool: ProductPool = async (db, storeId, now) => {
  const since = new Date(now.getTime() - POOL_WINDOW_DAYS * 86_400_000);
  const seen = new Map<number, Seen>();
  const categoryByName = new Map<string, number>();
  const note = (product: Omit<CandidateProduct, 'seen'>, at: number) => {
    const current = seen.get(product.productId);
    if (!current) {
      seen.set(product.productId, { product: { ...product, seen: 1 }, at });
      return;
    }
    current.product.seen++;
    const ids = product.categoryIds.length > 0 ? product.categoryIds : current.product.categoryIds;
    if (at >= current.at) {
      current.product = { ...product, categoryIds: ids, seen: current.product.seen };
      current.at = at;
    } else if (current.product.categoryIds.length === 0) {
      current.product.categoryIds = ids;
    }
  };

  const { rows: sources } = await sql<{ lines: string | null; at: Date }>`
    (SELECT \`lines\`, COALESCE(placed_at, created_at) AS at FROM orders
      WHERE store_id = ${storeId} AND placed_at >= ${since} AND placed_at <= ${now}
      ORDER BY placed_at DESC LIMIT ${POOL_SOURCE_LIMIT})
    UNION ALL
    (SELECT \`lines\`, content_at AS at FROM carts
      WHERE store_id = ${storeId} AND status IN ('active', 'emptied') AND content_at >= ${since} AND content_at <= ${now}
      ORDER BY content_at DESC LIMIT ${POOL_SOURCE_LIMIT})`.execute(db);
  for (const source of sources) {
    for (const line of parseLines(source.lines)) {
      for (const c of line.categories) categoryByName.set(c.name.toLowerCase(), c.id);
      note(
        {
          productId: line.productId,
          name: line.name,
          price: line.unitPrice,
          imageUrl: line.imageUrl,
          url: line.url,
          categoryIds: line.categoryIds,
          inStock: true,
        },
        source.at.getTime(),
      );
    }
  }

  const views = await db
    .selectFrom('product_views')
    .select(['product_id', 'name', 'price', 'image_url', 'url', 'in_stock', 'categories', 'viewed_at'])
    .where('store_id', '=', storeId)
    .where('viewed_at', '>=', since)
    .where('viewed_at', '<=', now)
    .orderBy('viewed_at', 'desc')
    .limit(POOL_SOURCE_LIMIT)
    .execute();
  for (const view of views) {
    // A view names its categories (the plugin sends names): resolved to the ids the lines carry.
    let names: unknown = view.categories;
    if (typeof names === 'string') {
      try {
        names = JSON.parse(names);
      } catch {
        names = [];
      }
    }
    const categoryIds = Array.isArray(names)
      ? names.flatMap((name) => {
          const id = typeof name === 'string' ? categoryByName.get(name.toLowerCase()) : undefined;
          return id === undefined ? [] : [id];
        })
      : [];
    note(
      {
        productId: Number(view.product_id),
        name: view.name,
        price: Number(view.price),
        imageUrl: view.image_url,
        url: view.url,
        categoryIds,
        inStock: Boolean(view.in_stock),
      },
      view.viewed_at.getTime(),
    );
  }
  return [...seen.values()].map((s) => s.product).sort((a, b) => a.productId - b.productId);
};
