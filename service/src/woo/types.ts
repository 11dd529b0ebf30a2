/**
 * The parts of WooCommerce's REST API (wc/v3) the sidecar reads and writes, under WooCommerce's own
 * field names (WC_REST_Products_Controller and WC_REST_Coupons_Controller with their V2 parents).
 * Money is a decimal string as WooCommerce sends it: convert with `decimalToMinor` (money.ts).
 */

export type WooStockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type WooProductType = 'simple' | 'grouped' | 'external' | 'variable' | (string & {});
export type WooDiscountType = 'percent' | 'fixed_cart' | 'fixed_product';

export interface WooImage {
  id?: number;
  src: string;
  name?: string;
  alt?: string;
}

/** A product as `GET /wc/v3/products` lists it (the fields the sidecar uses; the rest pass through). */
export interface WooProduct {
  id: number;
  name: string;
  type: WooProductType;
  /** `publish`, `draft`, `pending`, `private`, `future`, `trash`. */
  status: string;
  permalink: string;
  /** The price charged now (the sale price while a sale runs); "" when the product has none. */
  price: string;
  regular_price: string;
  /** "" when not on sale. */
  sale_price: string;
  stock_status: WooStockStatus;
  /** Null unless the product manages its stock. */
  stock_quantity: number | null;
  /** False when it cannot be bought (no price, or not published). */
  purchasable: boolean;
  images: WooImage[];
  /** The ids of a variable product's variations. */
  variations: number[];
}

/**
 * A variation as `GET /wc/v3/products/<parent>/variations` lists it (WC_REST_Product_Variations_Controller):
 * its own price and stock, one `image` (null when it has none) instead of `images`. wc/v3 gives
 * no `name` on older WooCommerce versions.
 */
export interface WooVariation {
  id: number;
  name?: string;
  /** `publish`, or `private` for a variation the admin disabled. */
  status: string;
  permalink: string;
  price: string;
  regular_price: string;
  sale_price: string;
  stock_status: WooStockStatus;
  stock_quantity: number | null;
  purchasable: boolean;
  image: WooImage | null;
}

/** A coupon as `/wc/v3/coupons` returns it. */
export interface WooCoupon {
  id: number;
  code: string;
  discount_type: WooDiscountType;
  /** A percentage or an amount in the store's currency, as a decimal string ("10.00"). */
  amount: string;
  /** `publish` for a live coupon. */
  status: string;
  /** Null for no limit. */
  usage_limit: number | null;
  usage_limit_per_user: number | null;
  usage_count: number;
  individual_use: boolean;
  email_restrictions: string[];
  /** In the store's time zone, without an offset (`2026-12-09T10:00:00`); null when it never expires. */
  date_expires: string | null;
  /** The same moment as UTC, without an offset. */
  date_expires_gmt: string | null;
  date_created_gmt: string | null;
  /** "0.00" when there is none. */
  minimum_amount: string;
  /** "0.00" when there is none. */
  maximum_amount: string;
  description: string;
  /** The billing emails or user ids of those who used it. */
  used_by: string[];
}

/** The body of `POST /wc/v3/coupons`: the code is required; the rest take WooCommerce's defaults. */
export interface WooCouponInput {
  code: string;
  discount_type: WooDiscountType;
  amount: string;
  usage_limit?: number;
  usage_limit_per_user?: number;
  individual_use?: boolean;
  email_restrictions?: string[];
  /**
   * When it expires, with an explicit offset: `2026-12-09T10:00:00Z`. WooCommerce 10.5 ignores
   * `date_expires_gmt` on write (WC_Coupon has no setter for it: checked in a real store, the
   * coupon never expired) and reads `date_expires` without an offset as the site's local time.
   */
  date_expires?: string;
  minimum_amount?: string;
  maximum_amount?: string;
  description?: string;
}

/** Filters of `GET /wc/v3/coupons` (WooCommerce's query parameter names). */
export interface WooCouponQuery {
  /** A coupon's exact code. */
  code?: string;
  search?: string;
  /** ISO 8601, site time: coupons created before / after it. */
  before?: string;
  after?: string;
  include?: number[];
  orderby?: 'date' | 'id' | 'include' | 'title' | 'slug' | 'modified';
  order?: 'asc' | 'desc';
  /** 1–100 (default 100 here); every page is read. */
  per_page?: number;
}
