import type { Line } from '@cartback/shared';

/**
 * What a tracked link leads to, by its subject (the enrollment's, DESIGN.md "Links"). Pure.
 *
 * - `cart` (abandoned_cart): a restore token; the plugin replaces the visitor's cart with the
 *   saved one and opens the checkout.
 * - `product` (browse_abandonment) and `winback`: a restore token; the plugin ADDS the offered
 *   products to whatever the visitor's cart holds — browse then opens the checkout (the button
 *   "puts it in their cart"), win-back the cart page (several products: the shopper chooses).
 * - `order` (payment_recovery): no token; straight to the order's own pay page.
 */
export type LinkTarget = 'restore' | 'pay';

/** The subject kinds a restore token may stand for. */
export const RESTORE_SUBJECTS = ['cart', 'product', 'winback'] as const;
export type RestoreSubject = (typeof RESTORE_SUBJECTS)[number];

/** Where a link of this subject kind goes; null for a kind no lane makes (the link is not valid). */
export function linkTarget(subjectKind: string): LinkTarget | null {
  if (subjectKind === 'order') return 'pay';
  return (RESTORE_SUBJECTS as readonly string[]).includes(subjectKind) ? 'restore' : null;
}

/** Where the plugin opens after adding an offer: browse the checkout, win-back the cart page. */
export function offerOpens(subjectKind: 'product' | 'winback'): 'checkout' | 'cart' {
  return subjectKind === 'product' ? 'checkout' : 'cart';
}

/**
 * The order's pay link, when it is safe to send a shopper there: http(s), on the store's host or
 * a subdomain of it (a pay page on `pay.shop.example` for `shop.example`), no credentials in it.
 * Anything else — another host, a lookalike (`shop.example.evil.test`), a `javascript:` URL — is
 * null: the sidecar must never become an open redirect, whatever an order event carried.
 */
export function safePayUrl(payUrl: string | null | undefined, storeUrl: string | undefined): string | null {
  if (!payUrl || !storeUrl || !URL.canParse(payUrl) || !URL.canParse(storeUrl)) return null;
  const pay = new URL(payUrl);
  const store = new URL(storeUrl);
  if (pay.protocol !== 'https:' && pay.protocol !== 'http:') return null;
  if (pay.username !== '' || pay.password !== '') return null;
  const host = pay.hostname.toLowerCase();
  const storeHost = store.hostname.toLowerCase();
  if (host !== storeHost && !host.endsWith(`.${storeHost}`)) return null;
  return pay.toString();
}

/** A product as a browse or win-back enrollment's `offer` keeps it (engine/winback.ts ChosenProduct). */
interface OfferedProductJson {
  product_id?: unknown;
  variation_id?: unknown;
  name?: unknown;
  price?: unknown;
  image_url?: unknown;
  url?: unknown;
}

export interface OfferCart {
  currency: string | null;
  lines: Line[];
  /** The offered products' prices added up (minor units), null when there are none. */
  total: number | null;
}

const positiveInt = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;

/**
 * The cart lines of an enrollment's offer (JSON `{currency?, products: [...]}`): one line per
 * offered product, quantity 1, in the offer's order; a product without a valid id is left out,
 * as is a second line for the same product. A missing or unreadable offer is no lines.
 */
export function offerCart(offer: string | null | undefined): OfferCart {
  let parsed: unknown = null;
  try {
    parsed = offer ? JSON.parse(offer) : null;
  } catch {
    parsed = null;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const currency = typeof record.currency === 'string' && /^[A-Z]{3}$/.test(record.currency) ? record.currency : null;
  const products = Array.isArray(record.products) ? (record.products as unknown[]) : [];
  const lines: Line[] = [];
  const seen = new Set<string>();
  for (const raw of products) {
    if (typeof raw !== 'object' || raw === null) continue;
    const p = raw as OfferedProductJson;
    const productId = positiveInt(p.product_id);
    if (productId === null) continue;
    const variationId = positiveInt(p.variation_id);
    const key = `${productId}:${variationId ?? 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const price = typeof p.price === 'number' && Number.isSafeInteger(p.price) && p.price >= 0 ? p.price : 0;
    lines.push({
      product_id: productId,
      ...(variationId !== null ? { variation_id: variationId } : {}),
      name: typeof p.name === 'string' ? p.name : '',
      quantity: 1,
      unit_price: price,
      line_total: price,
      ...(typeof p.image_url === 'string' ? { image_url: p.image_url } : {}),
      url: typeof p.url === 'string' ? p.url : '',
    });
  }
  const total = lines.length > 0 ? lines.reduce((sum, line) => sum + line.line_total, 0) : null;
  return { currency, lines, total };
}
