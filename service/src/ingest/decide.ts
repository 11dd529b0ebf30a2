import type { Line, OrderData } from '@cartback/shared';
import type { CartsTable, OrdersTable, StoresTable } from '../db/schema';
import { foldRun, readRun, runStart, storeRun } from './cart-run';
import { mergeCheckoutDetails, readCheckoutDetails, type CheckoutFacts } from './checkout-details';
import { foldField, parseStamps, serializeStamps } from './fields';
import { cartContact, orderContact, type LinkMaps } from './links';
import type { CartContactLink, CartFields, CartSnapshot, OrderFact, StoreProfileFact } from './plan';
import { compareStamps, isNewer, storedStamp, type Stamped } from './order';

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

/** This batch's facts about one cart. */
export interface CartFacts {
  /** The newest snapshot. */
  snapshot?: CartSnapshot;
  /** The newest contact capture. */
  link?: CartContactLink;
  details?: CheckoutFacts;
  fields?: CartFields;
}

/** True when a row would be written differently (times by value; `updated_at` aside). */
function differs<T extends object>(a: T, b: T): boolean {
  return (Object.keys(a) as Array<keyof T>).some((k) => {
    if (k === 'updated_at') return false;
    const x = a[k];
    const y = b[k];
    return x instanceof Date && y instanceof Date ? x.getTime() !== y.getTime() : x !== y;
  });
}

/**
 * One cart after this batch, the same whatever order its events arrive in:
 * - content (status, lines, totals, item count) from the newest snapshot (content_at);
 * - session, customer id, currency, locale, email: each from the newest event that carried it
 *   (fields.ts; the email from checkout captures);
 * - the checkout details part by part, newest wins (checkout-details.ts), and contact_at from
 *   the newest capture;
 * - started_at: the earliest snapshot with content since the newest emptying (cart-run.ts);
 * - contact_id: by the rule in links.ts (`maps` must hold the cart's keys as they are now).
 * Returns null when nothing changes.
 */
export function nextCart(stored: CartRow, facts: CartFacts, maps: LinkMaps, now: Date): CartRow | null {
  const { snapshot, link, details, fields } = facts;
  const row: CartRow = { ...stored };
  const stamps = parseStamps(stored.stamps);
  const legacy = stored.stamps === null;

  if (snapshot && isNewer(snapshot, storedStamp(stored.content_at, stored.content_event_id))) {
    const lines = snapshot.hasContent ? snapshot.lines : [];
    row.status = snapshot.hasContent ? 'active' : 'emptied';
    row.item_count = itemCount(lines);
    row.lines = JSON.stringify(lines);
    row.content_at = snapshot.at;
    row.content_event_id = snapshot.eventId;
    const t = snapshot.totals;
    row.subtotal = t?.subtotal ?? 0;
    row.tax = t?.tax ?? 0;
    row.shipping = t?.shipping ?? 0;
    row.discount = t?.discount ?? 0;
    row.total = t?.total ?? 0;
  }
  const contentLegacy = legacy ? stored.content_at : null;
  row.session_id = foldField('session_id', stored.session_id, stamps, fields?.sessionId, contentLegacy);
  row.customer_id = foldField('customer_id', stored.customer_id, stamps, fields?.customerId, contentLegacy);
  row.currency = foldField('currency', stored.currency, stamps, fields?.currency, contentLegacy);
  row.locale = foldField('locale', stored.locale, stamps, fields?.locale, contentLegacy);
  row.email = foldField('email', stored.email, stamps, fields?.email, legacy ? stored.contact_at : null);

  if (link && isNewer(link, storedStamp(stored.contact_at, stored.contact_event_id))) {
    row.contact_at = link.at;
    row.contact_event_id = link.eventId;
  }
  row.checkout_details = mergeCheckoutDetails(stored.checkout_details, details);

  if (fields && fields.snapshots.length > 0) {
    const emptiedAt = stored.status === 'emptied' ? storedStamp(stored.content_at, stored.content_event_id) : null;
    const run = foldRun(readRun(stamps.run, { startedAt: stored.started_at, emptiedAt }), fields.snapshots);
    stamps.run = storeRun(run);
    row.started_at = runStart(run);
  }

  const capture = readCheckoutDetails(row.checkout_details).contact;
  row.contact_id = cartContact(
    {
      capture: capture
        ? { ...(capture.phone ? { phone: capture.phone } : {}), ...(capture.email ? { email: capture.email } : {}) }
        : null,
      customerId: row.customer_id,
      sessionId: row.session_id,
    },
    maps,
    // A cart whose capture predates kept checkout details keeps the contact it was given.
    !capture && stored.contact_at !== null ? stored.contact_id : null,
  );
  row.stamps = serializeStamps(stamps);
  if (!differs(row, stored)) return null;
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
 * What a fact says was refunded, minor units: `totals.refunded` when it carries it; an
 * `order.refunded` without it (plugins before issue 11) is a full refund of the total it carried;
 * any other fact without it says nothing (undefined).
 */
export function refundedOf(fact: Pick<OrderFact, 'type' | 'data'>): number | undefined {
  const { refunded, total } = fact.data.totals;
  if (refunded !== undefined) return Math.max(0, refunded);
  return fact.type === 'order.refunded' ? Math.max(0, total) : undefined;
}

/**
 * Folds an order's facts into its row: the state (status, totals, lines, and the pay link, which
 * the plugin sends only while the order can be paid, so a newer report without one clears it)
 * comes from the newest fact; cart key, customer id, phone, email and payment method each from the newest fact that
 * carried one (fields.ts); placed/paid/failed/refunded times are the earliest fact of each kind;
 * the refunded amount is the largest any fact reported (refunds only grow; refundedOf);
 * the contact follows from phone, email and customer id (links.ts). So the row is the same
 * whatever order the facts arrive in. Null when nothing changes.
 */
export function nextOrder(stored: OrderRow, facts: readonly OrderFact[], maps: LinkMaps, now: Date): OrderRow | null {
  const row: OrderRow = { ...stored };
  const stamps = parseStamps(stored.stamps);
  const legacy = stored.stamps === null ? stored.state_at : null;
  let newestState: { fact: OrderFact; data: OrderData } | null = null;
  let current = storedStamp(stored.state_at, stored.state_event_id);

  for (const fact of [...facts].sort(compareStamps)) {
    row.placed_at = earliest(row.placed_at, fact.at);
    const column = EARLIEST_BY_TYPE[fact.type];
    if (column) row[column] = earliest(row[column], fact.at);
    const refunded = refundedOf(fact);
    // Refunds only grow: the largest reported wins, so a late, smaller report undoes nothing.
    if (refunded !== undefined) row.refunded_amount = Math.max(row.refunded_amount ?? 0, refunded);
    if (isNewer(fact, current)) {
      current = fact;
      newestState = { fact, data: fact.data };
    }
    const d = fact.data;
    const field = <T>(value: T | undefined): Stamped<T> | undefined =>
      value === undefined || value === null || value === '' ? undefined : { at: fact.at, eventId: fact.eventId, value };
    row.cart_key = foldField('cart_key', row.cart_key, stamps, field(d.cart_key), legacy);
    row.customer_id = foldField('customer_id', row.customer_id, stamps, field(d.customer_id || undefined), legacy);
    row.phone = foldField('phone', row.phone, stamps, field(d.phone), legacy);
    row.email = foldField('email', row.email, stamps, field(d.email?.trim().toLowerCase()), legacy);
    row.payment_method = foldField('payment_method', row.payment_method, stamps, field(d.payment_method), legacy);
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
    row.pay_url = data.pay_url ?? null;
  }
  row.contact_id =
    orderContact({ phone: row.phone, email: row.email, customerId: row.customer_id }, maps) ??
    // An order stored before stamps were kept, whose contact no key finds now, keeps its contact.
    (legacy ? stored.contact_id : null);
  row.stamps = serializeStamps(stamps);
  if (!differs(row, stored)) return null;
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
