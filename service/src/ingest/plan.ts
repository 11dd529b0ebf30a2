import type {
  ConsentData,
  ConsentScope,
  Line,
  OrderData,
  StoreEvent,
  StoreUpdatedData,
  Totals,
} from '@cartback/shared';
import { capturedFacts, joinFacts, type CheckoutFacts } from './checkout-details';
import { newerOf, newest, type Stamp, type Stamped } from './order';

/**
 * Turns a batch of new (never seen) events into the writes it implies, without IO. The SQL
 * adapter (apply.ts) resolves contacts and compares with what is stored.
 */

/** Who a fact is about, as far as the event says. */
export interface ContactRef {
  phone?: string;
  email?: string;
  customerId?: number;
}

/** Attributes learnt about one phone number in this batch: each the newest event that carried it. */
export interface ContactFacts {
  phone: string;
  email?: Stamped<string>;
  firstName?: Stamped<string>;
  customerId?: Stamped<number>;
  country?: Stamped<string>;
  /** When the newest of these facts occurred. */
  at: Date;
}

/**
 * Per cart, what this batch's events say field by field (each the newest event that carried it),
 * and every snapshot's stamp (for the run since the newest emptying, cart-run.ts).
 */
export interface CartFields {
  sessionId?: Stamped<string>;
  customerId?: Stamped<number>;
  currency?: Stamped<string>;
  locale?: Stamped<string>;
  email?: Stamped<string>;
  snapshots: Array<Stamp & { hasContent: boolean }>;
}

export interface ConsentEntry extends Stamp {
  phone: string;
  email: string | null;
  scope: ConsentScope;
  action: 'granted' | 'withdrawn';
  source: string;
  text: string;
  textVersion: number;
}

export interface CartSnapshot extends Stamp {
  cartKey: string;
  /** False for cart.emptied; cart.updated with no lines also leaves the cart empty. */
  hasContent: boolean;
  customerId: number | null;
  sessionId: string | null;
  currency: string | null;
  locale: string | null;
  totals: Totals | null;
  lines: Line[];
}

export interface CartContactLink extends Stamp {
  cartKey: string;
  ref: ContactRef;
  email: string | null;
}

export interface OrderFact extends Stamp {
  type: StoreEvent['type'];
  data: OrderData;
}

export interface ProductView extends Stamp {
  sessionId: string;
  customerId: number | null;
  /** The known-browser reference the view carried. */
  contactRef: string | null;
  product: Extract<StoreEvent, { type: 'product.viewed' }>['data']['product'];
}

export interface Nudge extends Stamp {
  channel: string;
  ref: ContactRef;
  subjectKind: string;
  subjectId: string;
}

export interface Identification extends Stamp {
  sessionId: string;
  customerId: number;
  ref: ContactRef;
}

/** A known browser's reference tied to a contact (`browser.linked`). */
export interface BrowserLink extends Stamp {
  contactRef: string;
  phone: string;
  email: string | null;
}

/** The store's profile as one `store.updated` reports it. */
export interface StoreProfileFact extends Stamp {
  data: StoreUpdatedData;
}

export interface BatchPlan {
  contacts: ContactFacts[];
  consents: ConsentEntry[];
  /** The newest snapshot per cart in this batch. */
  cartSnapshots: CartSnapshot[];
  /** The newest contact capture per cart in this batch. */
  cartContacts: CartContactLink[];
  /** Per cart, the newest of each part (contact, billing, shipping) captured in this batch. */
  cartDetails: Map<string, CheckoutFacts>;
  /** Per cart, its fields and snapshots in this batch. */
  cartFields: Map<string, CartFields>;
  /** Every order fact, grouped by order id. */
  orders: Map<number, OrderFact[]>;
  productViews: ProductView[];
  nudges: Nudge[];
  identifications: Identification[];
  /** The newest `browser.linked` per reference in this batch. */
  browserLinks: BrowserLink[];
  /** The newest `store.updated` in this batch, if any. */
  storeProfile: StoreProfileFact | null;
}

export function normalizeEmail(email: string | undefined): string | undefined {
  return email?.trim().toLowerCase() || undefined;
}

/**
 * Lower-cases ids (the idempotency key is case-insensitive) and drops repeats of an id within
 * the batch: the first occurrence stands, later ones count as duplicates.
 */
export function dedupeBatch(events: readonly StoreEvent[]): { unique: StoreEvent[]; repeated: number } {
  const seen = new Set<string>();
  const unique: StoreEvent[] = [];
  for (const event of events) {
    const id = event.id.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push(id === event.id ? event : { ...event, id });
  }
  return { unique, repeated: events.length - unique.length };
}

function refOf(data: { phone?: string; email?: string; customer_id?: number }): ContactRef {
  const ref: ContactRef = {};
  if (data.phone) ref.phone = data.phone;
  const email = normalizeEmail(data.email);
  if (email) ref.email = email;
  if (data.customer_id) ref.customerId = data.customer_id;
  return ref;
}

type ContactFact = { phone: string } & Stamp & {
    email?: string | null;
    firstName?: string | null;
    customerId?: number | null;
    country?: string | null;
  };

/** Folds what each event says about a phone number into one row per phone: per attribute, the newest that carried it. */
function mergeContacts(facts: readonly ContactFact[]): ContactFacts[] {
  const byPhone = new Map<string, ContactFacts>();
  const stamped = <T>(value: T | null | undefined, stamp: Stamp): Stamped<T> | undefined =>
    value === null || value === undefined ? undefined : { at: stamp.at, eventId: stamp.eventId, value };
  for (const f of facts) {
    const prev = byPhone.get(f.phone);
    byPhone.set(f.phone, {
      phone: f.phone,
      email: newerOf(prev?.email, stamped(f.email, f)),
      firstName: newerOf(prev?.firstName, stamped(f.firstName, f)),
      customerId: newerOf(prev?.customerId, stamped(f.customerId, f)),
      country: newerOf(prev?.country, stamped(f.country, f)),
      at: prev && prev.at.getTime() > f.at.getTime() ? prev.at : f.at,
    });
  }
  return [...byPhone.values()].sort((a, b) => (a.phone < b.phone ? -1 : 1));
}

function cartFieldsOf(map: Map<string, CartFields>, cartKey: string): CartFields {
  let fields = map.get(cartKey);
  if (!fields) map.set(cartKey, (fields = { snapshots: [] }));
  return fields;
}

function consentEntry(stamp: Stamp, data: ConsentData, action: ConsentEntry['action']): ConsentEntry {
  return {
    ...stamp,
    phone: data.phone,
    email: normalizeEmail(data.email) ?? null,
    scope: data.scope,
    action,
    source: data.source,
    text: data.text,
    textVersion: data.text_version,
  };
}

function newestPer<T extends Stamp>(items: T[], key: (item: T) => string): T[] {
  const best = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    best.set(k, newest([best.get(k) ?? item, item]) as T);
  }
  return [...best.values()];
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Plans the writes for events that have not been applied before, received at `now`. An event
 * stamped later than `now` (the store's clock runs ahead) counts as happening now: otherwise a
 * consent given on a fast clock would outrank a STOP that came after it.
 */
export function planBatch(events: readonly StoreEvent[], now: Date): BatchPlan {
  const contactFacts: ContactFact[] = [];
  const cartFields = new Map<string, CartFields>();
  const consents: ConsentEntry[] = [];
  const snapshots: CartSnapshot[] = [];
  const links: CartContactLink[] = [];
  const details = new Map<string, CheckoutFacts>();
  const orders = new Map<number, OrderFact[]>();
  const productViews: ProductView[] = [];
  const nudges: Nudge[] = [];
  const identifications: Identification[] = [];
  const browserLinks: BrowserLink[] = [];
  const profiles: StoreProfileFact[] = [];

  for (const event of events) {
    const occurred = new Date(event.occurred_at);
    const stamp: Stamp = { at: occurred.getTime() > now.getTime() ? now : occurred, eventId: event.id };
    switch (event.type) {
      case 'cart.updated': {
        const d = event.data;
        snapshots.push({
          ...stamp,
          cartKey: d.cart_key,
          hasContent: d.lines.length > 0,
          customerId: d.customer_id ?? null,
          sessionId: d.session_id,
          currency: d.currency,
          locale: d.locale,
          totals: d.totals,
          lines: d.lines,
        });
        const fields = cartFieldsOf(cartFields, d.cart_key);
        fields.snapshots.push({ ...stamp, hasContent: d.lines.length > 0 });
        fields.sessionId = newerOf(fields.sessionId, { ...stamp, value: d.session_id });
        if (d.customer_id) fields.customerId = newerOf(fields.customerId, { ...stamp, value: d.customer_id });
        if (d.currency) fields.currency = newerOf(fields.currency, { ...stamp, value: d.currency });
        if (d.locale) fields.locale = newerOf(fields.locale, { ...stamp, value: d.locale });
        break;
      }
      case 'cart.emptied':
        snapshots.push({
          ...stamp,
          cartKey: event.data.cart_key,
          hasContent: false,
          customerId: null,
          sessionId: null,
          currency: null,
          locale: null,
          totals: null,
          lines: [],
        });
        cartFieldsOf(cartFields, event.data.cart_key).snapshots.push({ ...stamp, hasContent: false });
        break;
      case 'checkout.contact_captured': {
        const d = event.data;
        const ref = refOf(d);
        links.push({ ...stamp, cartKey: d.cart_key, ref, email: ref.email ?? null });
        const fields = cartFieldsOf(cartFields, d.cart_key);
        if (ref.email) fields.email = newerOf(fields.email, { ...stamp, value: ref.email });
        details.set(d.cart_key, joinFacts(details.get(d.cart_key) ?? {}, capturedFacts(d, ref.email, stamp)));
        if (d.phone) {
          contactFacts.push({
            ...stamp,
            phone: d.phone,
            email: ref.email ?? null,
            firstName: d.first_name?.trim() || null,
            country: d.country ?? null,
          });
        }
        break;
      }
      case 'consent.granted':
      case 'consent.withdrawn': {
        const d = event.data;
        consents.push(consentEntry(stamp, d, event.type === 'consent.granted' ? 'granted' : 'withdrawn'));
        contactFacts.push({ ...stamp, phone: d.phone, email: normalizeEmail(d.email) ?? null });
        break;
      }
      case 'product.viewed':
        productViews.push({
          ...stamp,
          sessionId: event.data.session_id,
          customerId: event.data.customer_id ?? null,
          contactRef: event.data.contact_ref ?? null,
          product: event.data.product,
        });
        break;
      case 'browser.linked': {
        const d = event.data;
        const email = normalizeEmail(d.email) ?? null;
        browserLinks.push({ ...stamp, contactRef: d.contact_ref, phone: d.phone, email });
        contactFacts.push({ ...stamp, phone: d.phone, email });
        break;
      }
      case 'customer.identified': {
        const d = event.data;
        identifications.push({ ...stamp, sessionId: d.session_id, customerId: d.customer_id, ref: refOf(d) });
        if (d.phone) {
          contactFacts.push({
            ...stamp,
            phone: d.phone,
            email: normalizeEmail(d.email) ?? null,
            customerId: d.customer_id,
          });
        }
        break;
      }
      case 'order.created':
      case 'order.paid':
      case 'order.payment_failed':
      case 'order.status_changed':
      case 'order.refunded': {
        const d = event.data;
        append(orders, d.order_id, { ...stamp, type: event.type, data: d });
        if (d.phone) {
          contactFacts.push({
            ...stamp,
            phone: d.phone,
            email: normalizeEmail(d.email) ?? null,
            customerId: d.customer_id ?? null,
          });
        }
        break;
      }
      case 'channel.sent': {
        const d = event.data;
        nudges.push({
          ...stamp,
          channel: d.channel,
          ref: refOf(d),
          subjectKind: d.subject.kind,
          subjectId: String(d.subject.id),
        });
        break;
      }
      case 'store.updated':
        profiles.push({ ...stamp, data: event.data });
        break;
    }
  }

  return {
    contacts: mergeContacts(contactFacts),
    consents,
    cartSnapshots: newestPer(snapshots, (s) => s.cartKey),
    cartContacts: newestPer(links, (l) => l.cartKey),
    cartDetails: details,
    cartFields,
    orders,
    productViews,
    nudges,
    identifications,
    browserLinks: newestPer(browserLinks, (b) => b.contactRef),
    storeProfile: newest(profiles) ?? null,
  };
}
