import type { CatalogItem, CatalogReader, LiveProduct } from '../engine/catalog';
import { inStockStatus } from '../engine/catalog';
import { fractionDigits } from '../engine/render';
import type { WooClient } from './client';
import { WooError, WooUnreachableError } from './errors';
import { decimalToMinor } from './money';
import type { WooProduct, WooVariation } from './types';

/**
 * The live stock and price check's reader over the store's REST API (engine/catalog.ts's
 * CatalogReader). Simple products (and offered products) are read in one `products?include=…`
 * batch; variations, which WooCommerce lists only under their parent, by one
 * `products/<parent>/variations?include=…` batch per parent.
 *
 * What counts as gone (absent from the answer): an id the store does not return, a product or
 * variation not `publish`ed (a draft, a private product, a disabled variation: the shopper cannot
 * buy it), and every variation of a parent the store answers 404 `woocommerce_rest_product_invalid_id`
 * for. Any other failure (no access, 401, a timeout, a reply that is not the API's) answers null:
 * nothing is checked, and nothing is ever claimed deleted because of an error.
 */

/** WooCommerce's answer for a product id it does not have (here: a variation's parent). */
const INVALID_PRODUCT = 'woocommerce_rest_product_invalid_id';

/**
 * A product or variation as engine/catalog.ts sees it, or null when not published (gone). Pure.
 * The price is WooCommerce's `price` (the active one, the sale price during a sale) in minor units
 * of the store's currency (`digits` fraction digits); "" or anything unreadable → null (the item is
 * then unavailable: a message never shows a price the store will not charge).
 */
export function liveProductOf(item: WooProduct | WooVariation, digits: number): LiveProduct | null {
  if (item.status !== 'publish') return null;
  let price: number | null;
  try {
    price = decimalToMinor(item.price, digits);
  } catch {
    price = null;
  }
  const imageUrl = 'images' in item ? item.images?.[0]?.src : 'image' in item ? item.image?.src : undefined;
  return {
    id: item.id,
    name: typeof item.name === 'string' ? item.name : '',
    price,
    inStock: inStockStatus(item.stock_status),
    purchasable: item.purchasable === true,
    imageUrl: typeof imageUrl === 'string' && imageUrl !== '' ? imageUrl : null,
  };
}

/** The items' variation ids by parent, and the other ids. */
function split(items: readonly CatalogItem[]): { products: number[]; byParent: Map<number, number[]> } {
  const products: number[] = [];
  const byParent = new Map<number, number[]>();
  for (const item of items) {
    if (item.parentId === null) products.push(item.id);
    else byParent.set(item.parentId, [...(byParent.get(item.parentId) ?? []), item.id]);
  }
  return { products, byParent };
}

/** A parent's variations, or [] when the parent is gone (its variations with it). */
async function variationsOf(client: WooClient, parentId: number, ids: number[]): Promise<WooVariation[]> {
  try {
    return await client.variations(parentId, ids);
  } catch (error) {
    if (error instanceof WooError && error.status === 404 && error.code === INVALID_PRODUCT) return [];
    throw error;
  }
}

/**
 * The reader: `access` gives the store's client (null without REST access: the reader answers
 * null), `currency` the store's currency (prices are read in its fraction digits).
 */
export function wooCatalog(access: () => Promise<WooClient | null>, currency: () => Promise<string>): CatalogReader {
  return async (items) => {
    if (items.length === 0) return new Map();
    try {
      const client = await access();
      if (!client) return null;
      const digits = fractionDigits(await currency());
      const { products, byParent } = split(items);
      const asked = new Set(items.map((item) => item.id));
      const found: (WooProduct | WooVariation)[] = products.length > 0 ? await client.products(products) : [];
      for (const [parentId, ids] of byParent) found.push(...(await variationsOf(client, parentId, ids)));
      const live = new Map<number, LiveProduct>();
      for (const item of found) {
        const product = asked.has(item.id) ? liveProductOf(item, digits) : null;
        if (product) live.set(product.id, product);
      }
      return live;
    } catch (error) {
      if (error instanceof WooError || error instanceof WooUnreachableError) return null;
      throw error;
    }
  };
}
