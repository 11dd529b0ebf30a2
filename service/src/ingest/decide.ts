import type { Line, OrderData } from '@cartback/shared';
import type { CartsTable, OrdersTable, StoresTable } from '../db/schema';
import { mergeCheckoutDetails, type CheckoutFacts } from './checkout-details';
import type { CartContactLink, CartSnapshot, OrderFact, StoreProfileFact } from './plan';
import { compareStamps, isNewer, storedStamp } from './order';

/**
 * What to write for one cart or order, given the row as stored (locked) and this batch's facts.
 * Pure: no IO, no clock. Lines are kept as the JSON of the winning snapshot.
 */

export type CartRow = CartsTable;
export type OrderRow = OrdersTable;
/** The profile columns of a `stores` row. */
export type StoreProfileRow = Pick<
  StoresTable,
  | 'name'
  | 'url'
  | 'timezone'
  | 'currency'
  | 'locale'
  | 'api_url'
  | 'placeholder_image_url'
  | 'versions'
  | 'profile_at'
  | 'profile_event_id'
> & { wc_pending_order_email: boolean | null; updated_at: Date };

function itemCount(lines: readonly Line[]): number {
  return lines.reduce((n, line) => n + line.quantity, 0);
}

/**
 * Applies the newest snapshot and the newest contact capture, each only if newer than what the
 * row holds, and the checkout details captured (contact, billing, shipping: each part newest
 * wins). `contactId` is the contact the capture (or the cart's customer) resolves to.
 */
export function nextCart(
  stored: CartRow,
  snapshot: CartSnapshot | undefined,
  link: CartContactLink | undefined,
  contactIds: { fromLink: number | null; fromCustomer: number | null },
  now: Date,
  details?: CheckoutFacts,
): CartRow | null {
  const row: CartRow = { ...stored };
  let changed = false;

  if (snapshot && isNewer(snapshot, storedStamp(stored.content_at, stored.content_event_id))) {
    changed = true;
    const lines = snapshot.hasContent ? snapshot.lines : [];
    const wasActive = stored.status === 'active' && stored.item_count > 0;
    row.status = snapshot.hasContent ? 'active' : 'emptied';
    row.started_at = snapshot.hasContent ? (wasActive ? stored.started_at : snapshot.at) : null;
    row.item_count = itemCount(lines);
    row.lines = JSON.stringify(lines);
    row.content_at = snapshot.at;
    row.content_event_id = snapshot.eventId;
    if (snapshot.totals) {
      row.subtotal = snapshot.totals.subtotal;
      row.tax = snapshot.totals.tax;
      row.shipping = snapshot.totals.shipping;
      row.discount = snapshot.totals.discount;
      row.total = snapshot.totals.total;
    } else {
      row.subtotal = row.tax = row.shipping = row.discount = row.total = 0;
    }
    row.currency = snapshot.currency ?? row.currency;
    row.locale = snapshot.locale ?? row.locale;
    row.session_id = snapshot.sessionId ?? row.session_id;
    row.customer_id = snapshot.customerId ?? row.customer_id;
  }

  if (link && isNewer(link, storedStamp(stored.contact_at, stored.contact_event_id))) {
    changed = true;
    row.contact_at = link.at;
    row.contact_event_id = link.eventId;
    row.email = link.email ?? row.email;
    row.contact_id = contactIds.fromLink ?? row.contact_id;
  }

  const checkoutDetails = mergeCheckoutDetails(stored.checkout_details, details);
  if (checkoutDetails !== stored.checkout_details) {
    changed = true;
    row.checkout_details = checkoutDetails;
  }

  if (row.contact_id === null && contactIds.fromCustomer !== null) {
    changed = true;
    row.contact_id = contactIds.fromCustomer;
  }

  if (!changed) return null;
  row.updated_at = now;
  return row;
}

const EARLIEST_BY_TYPE: Partial<Record<OrderFact['type'], 'paid_at' | 'failed_at' | 'refunded_at'>> = {
  'order.paid': 'paid_at',
  'order.payment_failed': 'failed_at',
  'order.refunded': 'refunded_at',
};

function earliest(a: Date | null, b: Date): Date {
  return a && a.getTime() <= b.getTime() ? a : b;
}

/**
 * Folds an order's facts into its row: the state (status, totals, lines, contact) comes from the
 * newest fact; placed/paid/failed/refunded times are the earliest fact of each kind, so they are
 * right whatever order the facts arrive in.
 */
export function nextOrder(
  stored: OrderRow,
  facts: readonly OrderFact[],
  contactId: number | null,
  now: Date,
): OrderRow {
  const row: OrderRow = { ...stored };
  let newestState: { fact: OrderFact; data: OrderData } | null = null;
  let current = storedStamp(stored.state_at, stored.state_event_id);

  for (const fact of [...facts].sort(compareStamps)) {
    row.placed_at = earliest(row.placed_at, fact.at);
    const column = EARLIEST_BY_TYPE[fact.type];
    if (column) row[column] = earliest(row[column], fact.at);
    if (isNewer(fact, current)) {
      current = fact;
      newestState = { fact, data: fact.data };
    }
  }

  if (newestState) {
    const { fact, data } = newestState;
    row.state_at = fact.at;
    row.state_event_id = fact.eventId;
    row.status = data.status;
    row.currency = data.currency;
    row.subtotal = data.totals.subtotal;
    row.tax = data.totals.tax;
    row.shipping = data.totals.shipping;
    row.discount = data.totals.discount;
    row.total = data.totals.total;
    row.lines = JSON.stringify(data.lines);
    row.coupons = JSON.stringify(data.coupons);
    row.payment_method = data.payment_method ?? row.payment_method;
    row.cart_key = data.cart_key ?? row.cart_key;
    row.customer_id = data.customer_id ?? row.customer_id;
    row.phone = data.phone ?? row.phone;
    row.email = data.email?.trim().toLowerCase() || row.email;
  }
  row.contact_id = row.contact_id ?? contactId;
  row.updated_at = now;
  return row;
}

/**
 * The store's profile after a `store.updated`: the event's values replace the whole profile
 * when it is newer than the one that set the stored profile (an older one arriving late changes
 * nothing); null when nothing changes. Optional fields the event leaves out are cleared, since
 * the event describes the store as it is now.
 */
export function nextStoreProfile(
  stored: Pick<StoreProfileRow, 'profile_at' | 'profile_event_id'>,
  fact: StoreProfileFact,
  now: Date,
): StoreProfileRow | null {
  if (!isNewer(fact, storedStamp(stored.profile_at, stored.profile_event_id))) return null;
  const d = fact.data;
  return {
    name: d.name,
    url: d.url,
    timezone: d.time_zone,
    currency: d.currency.toUpperCase(),
    locale: d.locale,
    api_url: d.api_url.replace(/\/+$/, ''),
    placeholder_image_url: d.placeholder_image_url ?? null,
    versions: JSON.stringify(d.versions),
    wc_pending_order_email: d.wc_pending_order_email ?? null,
    profile_at: fact.at,
    profile_event_id: fact.eventId,
    updated_at: now,
  };
}

/**
 * A cart of a session whose shopper logged in (`contactBySession`) joins their contact if, as
 * written (`next`, else as stored), it has none. Returns what to write, or null for nothing.
 */
export function linkCartSession(
  stored: CartRow,
  next: CartRow | null,
  contactBySession: ReadonlyMap<string, number>,
): CartRow | null {
  const row = next ?? stored;
  const contactId =
    row.contact_id === null && row.session_id !== null ? contactBySession.get(row.session_id) : undefined;
  return contactId === undefined ? next : { ...row, contact_id: contactId };
}
