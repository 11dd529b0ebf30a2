import type { ColumnType, Generated } from 'kysely';
import type { AttributionsTable, CouponsTable, IncentiveBudgetsTable, StoreAccessTable } from './schema-commerce';
import type {
  MeasureAttributionSlotsTable,
  MeasureEnrollmentSlotsTable,
  MeasureMessageSlotsTable,
  MeasurePrefixesTable,
  MeasureRatesTable,
  MonitorEventsTable,
  MonitorSignalsTable,
} from './schema-measure';

export type * from './schema-commerce';
export type * from './schema-measure';

/**
 * Kysely's view of the tables (migrations/ defines them). Money columns are integers in minor
 * units; times are DATETIME(3) in UTC, read and written as JS Dates.
 */
type AutoId = Generated<number>;
type Json = string;

export interface StoresTable {
  id: AutoId;
  name: string;
  url: string | null;
  timezone: string | null;
  currency: string | null;
  locale: string | null;
  /** Where the plugin's signed routes are (`…/wp-json/cartback/v1`), from `store.updated`. */
  api_url: string | null;
  placeholder_image_url: string | null;
  /** JSON `{wordpress, woocommerce?, plugin, php?}`. */
  versions: Json | null;
  /** TINYINT(1): read back as 0 or 1. */
  wc_pending_order_email: ColumnType<number | null, boolean | null, boolean | null>;
  /** The stamp of the `store.updated` that set the profile (null: never reported). */
  profile_at: Date | null;
  profile_event_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SettingsTable {
  store_id: number;
  name: string;
  value: Json;
  updated_at: Date;
}

export interface InboundEventsTable {
  store_id: number;
  event_id: string;
  type: string;
  occurred_at: Date;
  received_at: Date;
  receipt: string;
  payload: Json;
}

export interface ContactsTable {
  id: AutoId;
  store_id: number;
  phone: string;
  email: string | null;
  first_name: string | null;
  customer_id: number | null;
  locale: string | null;
  time_zone: string | null;
  country: string | null;
  attributes_at: Date;
  /** JSON: per attribute, the stamp of the event that set it (ingest/fields.ts). */
  stamps: Json | null;
  created_at: Date;
  updated_at: Date;
}

export interface ConsentLedgerTable {
  id: AutoId;
  store_id: number;
  contact_id: number;
  event_id: string | null;
  phone: string;
  email: string | null;
  scope: 'marketing' | 'utility';
  action: 'granted' | 'withdrawn';
  source: string;
  text: string;
  text_version: number;
  occurred_at: Date;
  recorded_at: Date;
}

interface MoneyTotals {
  subtotal: number | null;
  tax: number | null;
  shipping: number | null;
  discount: number | null;
  total: number | null;
}

export interface CartsTable extends MoneyTotals {
  store_id: number;
  cart_key: string;
  status: 'active' | 'emptied' | null;
  contact_id: number | null;
  customer_id: number | null;
  session_id: string | null;
  email: string | null;
  currency: string | null;
  locale: string | null;
  item_count: number;
  /** JSON array of Line (shared package): the latest snapshot's lines. */
  lines: Json | null;
  started_at: Date | null;
  content_at: Date | null;
  content_event_id: string | null;
  contact_at: Date | null;
  contact_event_id: string | null;
  /** JSON: what the shopper typed at checkout (contact, billing, shipping), each part stamped (ingest/checkout-details.ts). */
  checkout_details: Json | null;
  /** JSON: per field stamps, and the snapshots since the newest emptying (ingest/cart-run.ts). */
  stamps: Json | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrdersTable extends MoneyTotals {
  store_id: number;
  order_id: number;
  cart_key: string | null;
  contact_id: number | null;
  customer_id: number | null;
  phone: string | null;
  email: string | null;
  status: string | null;
  currency: string | null;
  /** JSON array of Line (shared package). */
  lines: Json | null;
  coupons: Json | null;
  payment_method: string | null;
  /** The pay link of the newest report, null when it carried none (migration 0010). */
  pay_url: string | null;
  placed_at: Date | null;
  paid_at: Date | null;
  failed_at: Date | null;
  refunded_at: Date | null;
  /**
   * The largest refunded total any event reported, minor units (migration 0016): `totals.refunded`,
   * or an `order.refunded` without it (a full refund of its total). Null: no event said.
   */
  refunded_amount: number | null;
  state_at: Date | null;
  state_event_id: string | null;
  /** JSON: per field, the stamp of the event that set it (ingest/fields.ts). */
  stamps: Json | null;
  created_at: Date;
  updated_at: Date;
}

export interface ProductViewsTable {
  id: AutoId;
  store_id: number;
  event_id: string;
  session_id: string;
  customer_id: number | null;
  /** The known-browser reference the view carried (migration 0010). */
  contact_ref: string | null;
  contact_id: number | null;
  product_id: number;
  name: string;
  price: number;
  currency: string;
  image_url: string | null;
  url: string;
  in_stock: ColumnType<number, number | boolean, number | boolean>;
  categories: Json;
  viewed_at: Date;
}

/** Which contact an email, customer id, phone or session points at (ingest/links.ts). */
export interface ContactKeysTable {
  store_id: number;
  kind: 'browser' | 'customer' | 'email' | 'phone' | 'session';
  value: string;
  contact_id: number | null;
  /**
   * Sessions: who the newest login named, and its stamp; browsers (a known-browser reference):
   * the phone and email of the newest `browser.linked` that named it, and its stamp.
   */
  ref_phone: string | null;
  ref_email: string | null;
  ref_customer_id: number | null;
  ref_at: Date | null;
  ref_event_id: string | null;
}

export interface ChannelNudgesTable {
  id: AutoId;
  store_id: number;
  event_id: string;
  channel: string;
  contact_id: number | null;
  phone: string | null;
  email: string | null;
  subject_kind: string;
  subject_id: string;
  sent_at: Date;
}

export interface LaneSettingsTable {
  store_id: number;
  lane: string;
  settings: Json;
  updated_at: Date;
}

export type EnrollmentState = 'active' | 'completed' | 'stopped';

export interface EnrollmentsTable {
  id: AutoId;
  store_id: number;
  lane: string;
  contact_id: number;
  subject_kind: string;
  subject_id: string;
  episode_at: Date;
  cell: 'treatment' | 'holdout';
  state: EnrollmentState;
  anchor_at: Date;
  next_step: number;
  next_due_at: Date | null;
  stop_reason: string | null;
  /** JSON: what the journey offers (win-back: its chosen products); null for none. */
  offer: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
}

export interface EnrollmentHistoryTable {
  id: AutoId;
  store_id: number;
  enrollment_id: number;
  at: Date;
  kind: string;
  step: number | null;
  reason: string | null;
  detail: string | null;
}

/**
 * `unknown`: the provider may or may not have the message (its answer was lost); never resent,
 * settled by its status webhook. `lost`: still `unknown` when the reconcile window ran out;
 * final for automation (never resent), though a status that still comes settles it.
 */
export type MessageState =
  | 'queued'
  | 'submitting'
  | 'submitted'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'unknown'
  | 'lost'
  | 'held_out'
  | 'skipped';

export interface MessagesTable {
  id: AutoId;
  store_id: number;
  enrollment_id: number;
  step: number;
  lane: string;
  category: 'marketing' | 'utility';
  contact_id: number;
  phone: string;
  state: MessageState;
  due_at: Date;
  attempts: Generated<number>;
  template: string | null;
  language: string | null;
  payload: Json | null;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  /** When the message was last handed to the provider (its claim, committed before the call). */
  attempted_at: Date | null;
  submitted_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  /** When the reconcile window ran out without a status (`lost`). */
  lost_at: Date | null;
  /** The status webhooks' `pricing` (migration 0017); null until one carried it. TINYINT(1): 0 or 1. */
  pricing_billable: ColumnType<number | null, boolean | null | undefined, boolean | null>;
  pricing_model: ColumnType<string | null, string | null | undefined, string | null>;
  pricing_category: ColumnType<string | null, string | null | undefined, string | null>;
  pricing_type: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
}

export interface LinksTable {
  code: string;
  store_id: number;
  message_id: number;
  subject_kind: string;
  subject_id: string;
  contact_id: number;
  created_at: Date;
  expires_at: Date;
}

export interface ClicksTable {
  id: AutoId;
  store_id: number;
  code: string;
  message_id: number;
  contact_id: number;
  /** The first open of the link: the shopper's click. */
  clicked_at: Date;
  /** Every open of the link, the first included. */
  opens: Generated<number>;
  last_opened_at: Date;
}

export interface RestoreTokensTable {
  token_hash: string;
  store_id: number;
  /** The link's subject id: a cart's key, or a browse or win-back journey's subject (subject_kind). */
  cart_key: string;
  /** `cart`, `product` or `winback` (migration 0011): what `cart_key` holds. */
  subject_kind: ColumnType<string, string | undefined, string>;
  contact_id: number;
  code: string | null;
  /** The token is derived from the secret, the code and this; null for tokens minted before. */
  salt: string | null;
  created_at: Date;
  expires_at: Date;
}

/** A shopper's request for a person (migration 0012); open while `closed_at` is null. */
export interface HandoffsTable {
  id: AutoId;
  store_id: number;
  contact_id: number;
  requested_at: Date;
  source: 'button' | 'text';
  /** The inbound message's WhatsApp id: one handoff per message, however often it is delivered. */
  wamid: string;
  text: string;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  closed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  stores: StoresTable;
  settings: SettingsTable;
  inbound_events: InboundEventsTable;
  contacts: ContactsTable;
  consent_ledger: ConsentLedgerTable;
  carts: CartsTable;
  orders: OrdersTable;
  product_views: ProductViewsTable;
  channel_nudges: ChannelNudgesTable;
  contact_keys: ContactKeysTable;
  lane_settings: LaneSettingsTable;
  enrollments: EnrollmentsTable;
  enrollment_history: EnrollmentHistoryTable;
  messages: MessagesTable;
  links: LinksTable;
  clicks: ClicksTable;
  restore_tokens: RestoreTokensTable;
  handoffs: HandoffsTable;
  attributions: AttributionsTable;
  store_access: StoreAccessTable;
  coupons: CouponsTable;
  incentive_budgets: IncentiveBudgetsTable;
  monitor_events: MonitorEventsTable;
  monitor_signals: MonitorSignalsTable;
  measure_message_slots: MeasureMessageSlotsTable;
  measure_rates: MeasureRatesTable;
  measure_prefixes: MeasurePrefixesTable;
  measure_attribution_slots: MeasureAttributionSlotsTable;
  measure_enrollment_slots: MeasureEnrollmentSlotsTable;
}
