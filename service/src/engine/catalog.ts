import type { Line, MinorUnits } from '@cartback/shared';
import type { OfferedProduct } from './render';

/**
 * Live stock and price at send time (issue 11, part 3). Before a cart, browse or win-back step is
 * rendered, its products are read from the store (WooCommerce REST, through a `CatalogReader`;
 * cached at most 60 s by recovery/catalog-cache.ts), and this module decides, purely, what the
 * message may show: no product the store no longer sells, no price it will not charge.
 * Payment recovery is never checked: its order's price is fixed.
 *
 * THE ORDER OF CHECKS, per item (a cart line, or an offered product):
 *
 *  1. removed      its id is not in the store's answer: deleted (or no longer published). It leaves
 *                  the message: the cart or offer renders without it.
 *  2. unavailable  the store has it, but it cannot be bought now: not in stock, not purchasable,
 *                  or its live price is missing or unusable (a message never shows a price the
 *                  store will not charge, so an unknown price is never replaced by the old one).
 *                  An offered product without a product id cannot be asked about: unavailable too.
 *  3. available    it renders with the live price and the live image (when the store gives one);
 *                  its name stays as the shopper saw it.
 *
 * "In stock" is WooCommerce's `instock` or `onbackorder`: a product on backorder can still be
 * bought (the order waits for the stock), so a reminder about it is not wrong. `outofstock` is not.
 *
 * Per subject kind (`catalogVerdict`):
 * - cart: some lines unavailable → the step is skipped (`out_of_stock`; the cart is one purchase,
 *   and a later step may find them back in stock); every remaining line unavailable → the journey
 *   stops (`all_out_of_stock`); every line removed → `cart_empty`. A changed price sets the line's
 *   unit price and line total (unit price × quantity); the cart total moves by the difference of
 *   the line totals (and drops a removed line's total): taxes and shipping stay as the plugin last
 *   reported them.
 * - product (browse) and winback: unavailable products leave the offer like removed ones (a
 *   win-back with one of three products out of stock goes with the other two); nothing left →
 *   the journey stops, `all_out_of_stock` when any was merely unavailable, else `products_gone`.
 *
 * Prices are compared only when the subject's currency is the store's (the live price is in the
 * store's currency; a multi-currency cart keeps its captured prices, stock and removal still apply).
 */

/** A product as the store sells it now. */
export interface LiveProduct {
  id: number;
  name: string;
  /**
   * The active price in integer minor units of the store's currency; null when the store gave no
   * price or one that could not be read (the product then counts as unavailable).
   */
  price: MinorUnits | null;
  /** `instock` or `onbackorder` (backorders can still be bought); false for `outofstock`. */
  inStock: boolean;
  /** WooCommerce's `purchasable` (false e.g. for a product without a price). */
  purchasable: boolean;
  /** The product's first image, or null. */
  imageUrl: string | null;
}

/**
 * An item to read: a product by its id (`parentId` null), or a variation by its own id with its
 * parent product's id (WooCommerce lists variations only under their parent:
 * `products/<parent>/variations`, so a variation asked of `products` would look deleted).
 */
export interface CatalogItem {
  id: number;
  parentId: number | null;
}

/**
 * Reads the store's items, in one batch, keyed by item id. The map holds the products the store
 * has and publishes; an id absent from it is deleted (or not published; a variation whose parent
 * is gone is gone too). null: the store cannot be asked (no REST access, or it failed): nothing is
 * checked, and the step goes on the captured facts as before this check existed.
 */
export type CatalogReader = (items: readonly CatalogItem[]) => Promise<ReadonlyMap<number, LiveProduct> | null>;

/** How many of the items still in the store cannot be bought now. */
export type OutOfStock = 'none' | 'some' | 'all';

/** The cart's lines as the message may show them. */
export interface CartCheck {
  /** The lines left (removed ones dropped), available ones at their live price and image. */
  lines: Line[];
  /** The cart total adjusted by the lines' differences (never below 0). */
  total: MinorUnits;
  outOfStock: OutOfStock;
  /** Item ids the store no longer has. */
  removed: number[];
}

/** The offer's products as the message may show them. */
export interface OfferCheck {
  /** The available products, in the offer's order, at their live price and image. */
  products: OfferedProduct[];
  outOfStock: OutOfStock;
  removed: number[];
}

/** What the check says to the send decision. */
export interface CatalogVerdict {
  /** Skip this step (`out_of_stock`). */
  outOfStock: boolean;
  /** Every line of the cart was removed (`cart_empty`). */
  cartEmpty: boolean;
  /** The journey's end, or null. */
  stop: CatalogStop | null;
}

export type CatalogStop = 'all_out_of_stock' | 'products_gone';

/**
 * WooCommerce's `stock_status` as `LiveProduct.inStock`: `instock` and `onbackorder` can be bought
 * (a backorder waits for the stock), `outofstock` and anything unknown cannot.
 */
export function inStockStatus(stockStatus: unknown): boolean {
  return stockStatus === 'instock' || stockStatus === 'onbackorder';
}

/** The id a cart line is asked by: its variation's when it is one (a variation has its own price and stock). */
export function lineItemId(line: Line): number {
  return line.variation_id && line.variation_id > 0 ? line.variation_id : line.product_id;
}

/** A cart line as an item to read: a variation under its product, else the product itself. */
export function lineItem(line: Line): CatalogItem {
  return line.variation_id && line.variation_id > 0
    ? { id: line.variation_id, parentId: line.product_id }
    : { id: line.product_id, parentId: null };
}

type ItemState = { kind: 'removed' } | { kind: 'unavailable' } | { kind: 'available'; live: LiveProduct };

function itemState(id: number | undefined, live: ReadonlyMap<number, LiveProduct>): ItemState {
  if (id === undefined) return { kind: 'unavailable' };
  const product = live.get(id);
  if (!product) return { kind: 'removed' };
  const priced = product.price !== null && Number.isSafeInteger(product.price) && product.price >= 0;
  if (!product.inStock || !product.purchasable || !priced) return { kind: 'unavailable' };
  return { kind: 'available', live: product };
}

function outOfStockOf(unavailable: number, present: number): OutOfStock {
  if (unavailable === 0) return 'none';
  return unavailable === present ? 'all' : 'some';
}

/** The cart's lines checked against the live products (see the order of checks above). Pure. */
export function checkCart(
  lines: readonly Line[],
  total: MinorUnits,
  live: ReadonlyMap<number, LiveProduct>,
  options: { comparePrices: boolean },
): CartCheck {
  const kept: Line[] = [];
  const removed: number[] = [];
  let unavailable = 0;
  let newTotal = total;
  for (const line of lines) {
    const state = itemState(lineItemId(line), live);
    if (state.kind === 'removed') {
      removed.push(lineItemId(line));
      newTotal -= line.line_total;
      continue;
    }
    if (state.kind === 'unavailable') {
      unavailable++;
      kept.push(line);
      continue;
    }
    const { price, imageUrl } = state.live;
    const next: Line = { ...line, ...(imageUrl ? { image_url: imageUrl } : {}) };
    if (options.comparePrices && price !== null && price !== line.unit_price) {
      next.unit_price = price;
      next.line_total = price * line.quantity;
      newTotal += next.line_total - line.line_total;
    }
    kept.push(next);
  }
  return { lines: kept, total: Math.max(0, newTotal), outOfStock: outOfStockOf(unavailable, kept.length), removed };
}

/** An offer's products checked against the live products (see the order of checks above). Pure. */
export function checkOffer(
  products: readonly OfferedProduct[],
  live: ReadonlyMap<number, LiveProduct>,
  options: { comparePrices: boolean },
): OfferCheck {
  const kept: OfferedProduct[] = [];
  const removed: number[] = [];
  let unavailable = 0;
  for (const product of products) {
    const state = itemState(product.product_id, live);
    if (state.kind === 'removed') removed.push(product.product_id as number);
    else if (state.kind === 'unavailable') unavailable++;
    else {
      const { price, imageUrl } = state.live;
      kept.push({
        ...product,
        ...(options.comparePrices && price !== null ? { price } : {}),
        image_url: imageUrl ?? product.image_url,
      });
    }
  }
  return { products: kept, outOfStock: outOfStockOf(unavailable, unavailable + kept.length), removed };
}

const NO_VERDICT: CatalogVerdict = { outOfStock: false, cartEmpty: false, stop: null };

/** What a check means for the step (the per-kind rules above). Pure. */
export function catalogVerdict(check: CartCheck | OfferCheck | null): CatalogVerdict {
  if (!check) return NO_VERDICT;
  if ('lines' in check) {
    if (check.outOfStock === 'all') return { ...NO_VERDICT, stop: 'all_out_of_stock' };
    if (check.lines.length === 0 && check.removed.length > 0) return { ...NO_VERDICT, cartEmpty: true };
    return { ...NO_VERDICT, outOfStock: check.outOfStock === 'some' };
  }
  if (check.products.length > 0) return NO_VERDICT;
  if (check.outOfStock !== 'none') return { ...NO_VERDICT, stop: 'all_out_of_stock' };
  return check.removed.length > 0 ? { ...NO_VERDICT, stop: 'products_gone' } : NO_VERDICT;
}
