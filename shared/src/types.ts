/**
 * The events the plugin sends to the sidecar (DESIGN.md, "Contracts"). Money is an integer in
 * minor units with its ISO 4217 currency; phones are E.164; times are RFC 3339 UTC strings
 * (`2026-11-21T10:15:00Z`; see `utcTimestamp` in schemas.ts for the accepted window).
 */

export const EVENT_TYPES = [
  'cart.updated',
  'cart.emptied',
  'checkout.contact_captured',
  'consent.granted',
  'consent.withdrawn',
  'product.viewed',
  'browser.linked',
  'customer.identified',
  'order.created',
  'order.paid',
  'order.payment_failed',
  'order.status_changed',
  'order.refunded',
  'channel.sent',
  'store.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CONSENT_SCOPES = ['marketing', 'utility'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const CONSENT_SOURCES = ['checkout_block', 'checkout_classic', 'my_account', 'admin', 'import'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** How a browser came to be tied to a contact: the opt-in was ticked in it, or a Cartback link was opened in it. */
export const BROWSER_LINK_VIAS = ['consent', 'restore'] as const;
export type BrowserLinkVia = (typeof BROWSER_LINK_VIAS)[number];

export const NUDGE_CHANNELS = ['email', 'sms'] as const;
export type NudgeChannel = (typeof NUDGE_CHANNELS)[number];

export const SUBJECT_KINDS = ['cart', 'product', 'order', 'winback'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Integer amount in the currency's minor units (cents, paise). */
export type MinorUnits = number;

export interface Totals {
  subtotal: MinorUnits;
  tax: MinorUnits;
  shipping: MinorUnits;
  discount: MinorUnits;
  total: MinorUnits;
  /**
   * Orders: what has been refunded so far, partial refunds included (WooCommerce's
   * get_total_refunded()). Absent on carts, and from plugins older than issue 11: an
   * `order.refunded` without it counts as a full refund.
   */
  refunded?: MinorUnits;
}

export interface Line {
  product_id: number;
  variation_id?: number;
  sku?: string;
  name: string;
  quantity: number;
  unit_price: MinorUnits;
  line_total: MinorUnits;
  image_url?: string;
  url: string;
  /**
   * The product's categories (a variation's are its parent's): WordPress `product_cat` term id and
   * name, at most 10, in the product's order. Absent from older plugins; `[]` for none.
   */
  categories?: LineCategory[];
}

export interface LineCategory {
  id: number;
  name: string;
}

export interface CartUpdatedData {
  cart_key: string;
  customer_id?: number;
  session_id: string;
  currency: string;
  totals: Totals;
  lines: Line[];
  locale: string;
}

export interface CartEmptiedData {
  cart_key: string;
}

/** An address as the shopper typed it at checkout, in WooCommerce's field names (empty fields left out). */
export interface CheckoutAddress {
  first_name?: string;
  last_name?: string;
  company?: string;
  address_1?: string;
  address_2?: string;
  city?: string;
  state?: string;
  postcode?: string;
  /** ISO 3166 alpha-2. */
  country?: string;
  /** E.164. */
  phone?: string;
}

export const CHECKOUT_ADDRESS_FIELDS = [
  'first_name',
  'last_name',
  'company',
  'address_1',
  'address_2',
  'city',
  'state',
  'postcode',
  'country',
  'phone',
] as const satisfies ReadonlyArray<keyof CheckoutAddress>;

/**
 * What the shopper typed at checkout so far. `phone` (E.164) and `email` are the contact (the
 * billing phone, else the shipping phone); `billing` and `shipping` are the two address forms,
 * each sent whole when the checkout has it (older plugins send neither).
 */
export interface ContactCapturedData {
  cart_key: string;
  phone?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  country?: string;
  billing?: CheckoutAddress;
  shipping?: CheckoutAddress;
}

export interface ConsentData {
  phone: string;
  email?: string;
  scope: ConsentScope;
  source: ConsentSource;
  text: string;
  text_version: number;
}

export interface ProductViewedData {
  session_id: string;
  customer_id?: number;
  /**
   * Sent when the browser carries a valid known-browser cookie: the contact's opaque reference, as
   * a `browser.linked` event introduced it. The view is that contact's.
   */
  contact_ref?: string;
  product: {
    id: number;
    name: string;
    price: MinorUnits;
    currency: string;
    image_url?: string;
    url: string;
    in_stock: boolean;
    categories: string[];
  };
}

/**
 * A browser was tied to a contact (the known-browser cookie was set in it): from now on
 * `product.viewed` events with this `contact_ref` are this contact's. One reference per contact,
 * shared by all their browsers; after the contact is erased the plugin never sends it again (a
 * new opt-in gets a new reference).
 */
export interface BrowserLinkedData {
  contact_ref: string;
  /** E.164. */
  phone: string;
  email?: string;
  via: BrowserLinkVia;
}

export interface CustomerIdentifiedData {
  session_id: string;
  customer_id: number;
  phone?: string;
  email?: string;
}

export interface OrderData {
  order_id: number;
  cart_key?: string;
  customer_id?: number;
  phone?: string;
  email?: string;
  status: string;
  currency: string;
  totals: Totals;
  lines: Line[];
  coupons: string[];
  payment_method?: string;
  /**
   * The order's own pay link (`WC_Order::get_checkout_payment_url()`), sent while the reported
   * status is one WooCommerce takes payment in (pending, failed; filterable in WooCommerce).
   */
  pay_url?: string;
}

export interface ChannelSentData {
  channel: NudgeChannel;
  phone?: string;
  email?: string;
  subject: { kind: SubjectKind; id: string };
}

/** The store's profile, as WordPress and WooCommerce have it set (sent on activation, on connection and on change). */
export interface StoreUpdatedData {
  /** The site's title (WordPress's `blogname`). */
  name: string;
  /** The store's home URL. */
  url: string;
  /** Where the sidecar reaches the plugin's signed routes: `rest_url('cartback/v1')`, no trailing slash. */
  api_url: string;
  /** An IANA zone (`Asia/Kolkata`), or a fixed UTC offset (`+05:30`) when WordPress is set to one. */
  time_zone: string;
  /** ISO 4217, the store's currency. */
  currency: string;
  /** WordPress's locale, such as `en_IN`. */
  locale: string;
  /** WooCommerce's placeholder image (or the one the admin set there), for products without an image. */
  placeholder_image_url?: string;
  versions: { wordpress: string; woocommerce?: string; plugin: string; php?: string };
  /** WooCommerce's own reminder email for pending orders (10.9+) is switched on. */
  wc_pending_order_email?: boolean;
  /**
   * WooCommerce's own customer "Failed order" email is switched on (it is unless the admin turned
   * it off): WooCommerce already tells the shopper an order failed. Optional: older plugins omit it.
   */
  wc_failed_order_email?: boolean;
}

export interface EventDataByType {
  'cart.updated': CartUpdatedData;
  'cart.emptied': CartEmptiedData;
  'checkout.contact_captured': ContactCapturedData;
  'consent.granted': ConsentData;
  'consent.withdrawn': ConsentData;
  'product.viewed': ProductViewedData;
  'browser.linked': BrowserLinkedData;
  'customer.identified': CustomerIdentifiedData;
  'order.created': OrderData;
  'order.paid': OrderData;
  'order.payment_failed': OrderData;
  'order.status_changed': OrderData;
  'order.refunded': OrderData;
  'channel.sent': ChannelSentData;
  'store.updated': StoreUpdatedData;
}

export type StoreEventOf<T extends EventType> = {
  /** UUID: the idempotency key. */
  id: string;
  type: T;
  /** ISO 8601, UTC ("2026-11-21T10:15:00Z"). */
  occurred_at: string;
  data: EventDataByType[T];
};

/** Any one event: a union discriminated by `type`. */
export type StoreEvent = { [T in EventType]: StoreEventOf<T> }[EventType];

export interface EventBatch {
  events: StoreEvent[];
}

export interface EventBatchReply {
  accepted: number;
  duplicates: number;
}

/** Every error the sidecar returns has this shape. */
export interface ApiErrorBody {
  error: { code: string; message: string; path?: string };
}

export const MAX_BATCH_EVENTS = 500;
/** A line carries at most this many of its product's categories. */
export const MAX_LINE_CATEGORIES = 10;
export const MAX_BODY_BYTES = 1024 * 1024;
