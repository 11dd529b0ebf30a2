import type { CheckoutAddress, Line } from '@cartback/shared';
import type { Selectable } from 'kysely';
import type {
  ChannelNudgesTable,
  HandoffsTable,
  CartsTable,
  ConsentLedgerTable,
  ContactsTable,
  MessagesTable,
  OrdersTable,
  ProductViewsTable,
} from '../db/schema';
import { fractionDigits, toBcp47 } from '../engine/render';
import { readCheckoutDetails } from '../ingest/checkout-details';
import { label } from './labels';

/**
 * Rows → the items of a WordPress personal-data export (`wp_privacy_personal_data_exporters`):
 * each item is a group (id and label), a stable item id and a list of name/value pairs, which the
 * plugin hands to WordPress as they are. Pure: no IO, no clock.
 */
export interface ExportItem {
  group_id: string;
  group_label: string;
  item_id: string;
  data: Array<{ name: string; value: string }>;
}

export interface ExportRows {
  /** The store's locale, for money where the row has none. */
  storeLocale: string | null;
  contacts: Array<
    Pick<
      Selectable<ContactsTable>,
      | 'id'
      | 'phone'
      | 'email'
      | 'first_name'
      | 'customer_id'
      | 'country'
      | 'locale'
      | 'time_zone'
      | 'created_at'
      | 'updated_at'
    >
  >;
  consents: Array<
    Pick<
      Selectable<ConsentLedgerTable>,
      'id' | 'phone' | 'email' | 'scope' | 'action' | 'source' | 'text' | 'text_version' | 'occurred_at'
    >
  >;
  carts: Array<
    Pick<
      Selectable<CartsTable>,
      | 'cart_key'
      | 'status'
      | 'email'
      | 'currency'
      | 'locale'
      | 'total'
      | 'lines'
      | 'checkout_details'
      | 'started_at'
      | 'content_at'
    >
  >;
  orders: Array<
    Pick<
      Selectable<OrdersTable>,
      | 'order_id'
      | 'status'
      | 'phone'
      | 'email'
      | 'currency'
      | 'total'
      | 'lines'
      | 'coupons'
      | 'payment_method'
      | 'placed_at'
      | 'paid_at'
    >
  >;
  messages: Array<
    Pick<
      Selectable<MessagesTable>,
      'id' | 'lane' | 'step' | 'state' | 'phone' | 'template' | 'submitted_at' | 'sent_at' | 'delivered_at' | 'read_at'
    >
  >;
  productViews: Array<Pick<Selectable<ProductViewsTable>, 'id' | 'name' | 'price' | 'currency' | 'url' | 'viewed_at'>>;
  nudges: Array<Pick<Selectable<ChannelNudgesTable>, 'id' | 'channel' | 'subject_kind' | 'sent_at'>>;
  handoffs: Array<Pick<Selectable<HandoffsTable>, 'id' | 'source' | 'text' | 'requested_at' | 'closed_at'>>;
}

export const EXPORT_GROUPS = {
  contact: { group_id: 'cartback-contact', group_label: 'Cartback: contact' },
  consent: { group_id: 'cartback-consent', group_label: 'Cartback: WhatsApp consent' },
  carts: { group_id: 'cartback-carts', group_label: 'Cartback: carts' },
  orders: { group_id: 'cartback-orders', group_label: 'Cartback: orders' },
  messages: { group_id: 'cartback-messages', group_label: 'Cartback: WhatsApp messages' },
  productViews: { group_id: 'cartback-product-views', group_label: 'Cartback: products viewed' },
  nudges: { group_id: 'cartback-other-channels', group_label: 'Cartback: email and SMS reminders' },
  handoffs: { group_id: 'cartback-handoffs', group_label: 'Cartback: requests for a person' },
} as const;

/** A time as ISO 8601 UTC, to the second ("2026-11-21T10:15:00Z"). */
export function formatTime(at: Date | null): string | null {
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/**
 * Integer minor units formatted for a locale with Intl.NumberFormat (en-IN, INR, 129900 →
 * "₹1,299.00"; ja, JPY, 1500 → "￥1,500"). Exact: the amount reaches Intl as a decimal string.
 */
export function formatMoney(minor: number | null, currency: string | null, locale: string): string | null {
  if (minor === null) return null;
  if (!currency || !Number.isSafeInteger(minor)) return String(minor);
  try {
    const digits = fractionDigits(currency);
    const sign = minor < 0 ? '-' : '';
    const padded = String(Math.abs(minor)).padStart(digits + 1, '0');
    const decimal = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
    return new Intl.NumberFormat(toBcp47(locale), { style: 'currency', currency }).format(
      `${sign}${decimal}` as `${number}`,
    );
  } catch {
    return `${minor} ${currency}`;
  }
}

/** "Handloom cotton kurta × 1; Blue mug × 2" from a stored JSON array of lines. */
export function linesSummary(json: string | null): string | null {
  try {
    const lines = JSON.parse(json ?? 'null') as unknown;
    if (!Array.isArray(lines) || lines.length === 0) return null;
    return (lines as Line[]).map((line) => `${line.name} × ${line.quantity}`).join('; ');
  } catch {
    return null;
  }
}

function couponsList(json: string | null): string | null {
  try {
    const coupons = JSON.parse(json ?? 'null') as unknown;
    return Array.isArray(coupons) && coupons.length > 0 ? coupons.map(String).join(', ') : null;
  } catch {
    return null;
  }
}

/** "Anna Sharma, Kurta Co, 12 MG Road, Bengaluru, KA, 560001, IN, +919812345678": the fields given, in WooCommerce's order. */
export function addressLine(address: CheckoutAddress | null): string | null {
  if (!address) return null;
  const name = [address.first_name, address.last_name].filter(Boolean).join(' ');
  const parts = [
    name,
    address.company,
    address.address_1,
    address.address_2,
    address.city,
    address.state,
    address.postcode,
    address.country,
    address.phone,
  ];
  return parts.filter((part): part is string => !!part).join(', ') || null;
}

/** The name/value pairs that have a value. */
function fields(pairs: Array<[string, string | number | null | undefined]>): ExportItem['data'] {
  return pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== null && pair[1] !== undefined && pair[1] !== '')
    .map(([name, value]) => ({ name, value: String(value) }));
}

/** One export item per contact, consent-ledger row, cart, order, message, product view, nudge and handoff. */
export function exportItems(rows: ExportRows): ExportItem[] {
  const locale = rows.contacts.find((c) => c.locale)?.locale ?? rows.storeLocale ?? 'en';
  const item = (group: keyof typeof EXPORT_GROUPS, id: string, data: ExportItem['data']): ExportItem => ({
    ...EXPORT_GROUPS[group],
    item_id: id,
    data,
  });
  return [
    ...rows.contacts.map((c) =>
      item(
        'contact',
        `contact-${c.id}`,
        fields([
          ['Phone', c.phone],
          ['Email', c.email],
          ['First name', c.first_name],
          ['Store customer ID', c.customer_id],
          ['Country', c.country],
          ['Language', c.locale],
          ['Time zone', c.time_zone],
          ['First seen', formatTime(c.created_at)],
          ['Last updated', formatTime(c.updated_at)],
        ]),
      ),
    ),
    ...rows.consents.map((c) =>
      item(
        'consent',
        `consent-${c.id}`,
        fields([
          ['Scope', label(c.scope)],
          ['Decision', label(c.action)],
          ['Source', label(c.source)],
          ['Text', c.text],
          ['Text version', c.text_version],
          ['When', formatTime(c.occurred_at)],
          ['Phone', c.phone],
          ['Email', c.email],
        ]),
      ),
    ),
    ...rows.carts.map((c) => {
      const typed = readCheckoutDetails(c.checkout_details);
      const name = [typed.contact?.first_name, typed.contact?.last_name].filter(Boolean).join(' ');
      return item(
        'carts',
        `cart-${c.cart_key}`,
        fields([
          ['Status', c.status ? label(c.status) : null],
          ['Products', linesSummary(c.lines)],
          ['Total', formatMoney(c.total, c.currency, c.locale ?? locale)],
          ['Email', c.email],
          ['Name typed at checkout', name],
          ['Phone typed at checkout', typed.contact?.phone],
          ['Billing address typed at checkout', addressLine(typed.billing)],
          ['Shipping address typed at checkout', addressLine(typed.shipping)],
          ['Started', formatTime(c.started_at)],
          ['Last change', formatTime(c.content_at)],
        ]),
      );
    }),
    ...rows.orders.map((o) =>
      item(
        'orders',
        `order-${o.order_id}`,
        fields([
          ['Order', `#${o.order_id}`],
          ['Status', o.status],
          ['Products', linesSummary(o.lines)],
          ['Total', formatMoney(o.total, o.currency, locale)],
          ['Coupons', couponsList(o.coupons)],
          ['Payment method', o.payment_method],
          ['Phone', o.phone],
          ['Email', o.email],
          ['Placed', formatTime(o.placed_at)],
          ['Paid', formatTime(o.paid_at)],
        ]),
      ),
    ),
    ...rows.messages.map((m) =>
      item(
        'messages',
        `message-${m.id}`,
        fields([
          ['Lane', label(m.lane)],
          ['Step', m.step + 1],
          ['Status', label(m.state)],
          ['Template', m.template],
          ['Phone', m.phone],
          ['Sent at', formatTime(m.sent_at ?? m.submitted_at)],
          ['Delivered at', formatTime(m.delivered_at)],
          ['Read at', formatTime(m.read_at)],
        ]),
      ),
    ),
    ...rows.productViews.map((v) =>
      item(
        'productViews',
        `product-view-${v.id}`,
        fields([
          ['Product', v.name],
          ['Price', formatMoney(v.price, v.currency, locale)],
          ['Link', v.url],
          ['Viewed at', formatTime(v.viewed_at)],
        ]),
      ),
    ),
    ...rows.nudges.map((n) =>
      item(
        'nudges',
        `nudge-${n.id}`,
        fields([
          ['Channel', label(n.channel)],
          ['About', n.subject_kind],
          ['Sent at', formatTime(n.sent_at)],
        ]),
      ),
    ),
    ...rows.handoffs.map((h) =>
      item(
        'handoffs',
        `handoff-${h.id}`,
        fields([
          ['How', h.source === 'button' ? 'The “Get help” button' : 'A WhatsApp reply'],
          ['What was sent', h.text],
          ['Asked at', formatTime(h.requested_at)],
          ['Closed at', formatTime(h.closed_at)],
        ]),
      ),
    ),
  ];
}
