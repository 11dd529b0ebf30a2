import type { WooCoupon, WooCouponInput, WooDiscountType, WooProduct, WooVariation } from '../woo/types';

/**
 * The catalog and coupons of the fake WooCommerce REST API (a test double: fake-woo/server.ts),
 * in WooCommerce's field names and formats: prices as the decimal strings the store keeps, coupon
 * amounts through `wc_format_decimal(…, 2)`, codes lowercased as `wc_format_coupon_code` does,
 * dates without an offset. Tests change it directly.
 */

export type FakeProductInput = Partial<Omit<WooProduct, 'id'>> & { id?: number; name: string; price: string };

export type FakeVariationInput = Partial<Omit<WooVariation, 'id'>> & { id?: number; price: string };

export const DISCOUNT_TYPES: readonly WooDiscountType[] = ['percent', 'fixed_cart', 'fixed_product'];

/** A decimal as wc_format_decimal( $value, 2 ) writes it: "10" → "10.00". Not money arithmetic: display only. */
export function formatDecimal2(value: string): string {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) return '0.00';
  const whole = (match[1] || '0').replace(/^0+(?=\d)/, '');
  return `${whole}.${(match[2] ?? '').padEnd(2, '0').slice(0, 2)}`;
}

/** A WordPress date: `YYYY-MM-DDTHH:MM:SS`, no offset. */
export function wpDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

export class FakeWooState {
  readonly products = new Map<number, WooProduct>();
  readonly coupons = new Map<number, WooCoupon>();
  /** Variations by id, each with its parent product's id. */
  readonly variations = new Map<number, { parentId: number; variation: WooVariation }>();
  /** Posts (products and coupons) share WordPress's id sequence. */
  private nextId = 100;

  constructor(private readonly homeUrl: () => string) {}

  private id(wanted?: number): number {
    const id = wanted ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    return id;
  }

  addProduct(input: FakeProductInput): WooProduct {
    const id = this.id(input.id);
    const slug =
      input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || String(id);
    const status = input.status ?? 'publish';
    const product: WooProduct = {
      type: 'simple',
      status,
      permalink: `${this.homeUrl()}/product/${slug}/`,
      regular_price: input.price,
      sale_price: '',
      stock_status: 'instock',
      stock_quantity: null,
      purchasable: input.price !== '' && status === 'publish',
      images: [],
      variations: [],
      ...input,
      id,
    };
    this.products.set(id, product);
    return product;
  }

  /**
   * Adds a variation under a product (which becomes `variable` and lists it in `variations`), in
   * WooCommerce's variation fields: one `image` (null without one), `private` when disabled.
   */
  addVariation(parentId: number, input: FakeVariationInput): WooVariation {
    const parent = this.products.get(parentId);
    if (!parent) throw new Error(`fake-woo: no product ${parentId}`);
    const id = this.id(input.id);
    const status = input.status ?? 'publish';
    const variation: WooVariation = {
      status,
      permalink: `${parent.permalink}?variation_id=${id}`,
      regular_price: input.price,
      sale_price: '',
      stock_status: 'instock',
      stock_quantity: null,
      purchasable: input.price !== '' && status === 'publish',
      image: null,
      ...input,
      id,
    };
    parent.type = 'variable';
    parent.variations = [...parent.variations, id];
    this.variations.set(id, { parentId, variation });
    return variation;
  }

  /** Changes a product (stock, price, …) as an admin would. */
  updateProduct(id: number, patch: Partial<Omit<WooProduct, 'id'>>): WooProduct {
    const product = this.products.get(id);
    if (!product) throw new Error(`fake-woo: no product ${id}`);
    Object.assign(product, patch);
    return product;
  }

  /** Deletes a product for good; a variable product's variations go with it, as in WooCommerce. */
  deleteProduct(id: number): void {
    this.products.delete(id);
    for (const [variationId, v] of this.variations) if (v.parentId === id) this.variations.delete(variationId);
  }

  /** A coupon from a create request, or a WooCommerce error (code, status, message). */
  createCoupon(
    body: Partial<WooCouponInput>,
    now: Date,
  ): WooCoupon | { code: string; status: number; message: string } {
    const code = typeof body.code === 'string' ? body.code.trim().toLowerCase() : '';
    if (!code)
      return { code: 'woocommerce_rest_empty_coupon_code', status: 400, message: 'The coupon code cannot be empty.' };
    if ([...this.coupons.values()].some((c) => c.code === code)) {
      return {
        code: 'woocommerce_rest_coupon_code_already_exists',
        status: 400,
        message: 'The coupon code already exists',
      };
    }
    // As WooCommerce: `date_expires` is read (without an offset, as site time: this fake's site is
    // UTC); `date_expires_gmt` on input is ignored, since WC_Coupon has no setter for it.
    const expires = body.date_expires
      ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(body.date_expires) ? body.date_expires : `${body.date_expires}Z`)
      : null;
    const coupon: WooCoupon = {
      id: this.id(),
      code,
      discount_type: body.discount_type ?? 'fixed_cart',
      amount: formatDecimal2(String(body.amount ?? '0')),
      status: 'publish',
      usage_limit: body.usage_limit || null,
      usage_limit_per_user: body.usage_limit_per_user || null,
      usage_count: 0,
      individual_use: body.individual_use ?? false,
      email_restrictions: body.email_restrictions ?? [],
      // The fake store's time zone is UTC: site time and GMT agree.
      date_expires: expires ? wpDate(expires) : null,
      date_expires_gmt: expires ? wpDate(expires) : null,
      date_created_gmt: wpDate(now),
      minimum_amount: formatDecimal2(String(body.minimum_amount ?? '0')),
      maximum_amount: formatDecimal2(String(body.maximum_amount ?? '0')),
      description: body.description ?? '',
      used_by: [],
    };
    this.coupons.set(coupon.id, coupon);
    return coupon;
  }

  /** Records `count` uses of a coupon (as orders using it would). */
  setUsageCount(id: number, count: number, usedBy: string[] = []): void {
    const coupon = this.coupons.get(id);
    if (!coupon) throw new Error(`fake-woo: no coupon ${id}`);
    coupon.usage_count = count;
    coupon.used_by = usedBy;
  }
}
