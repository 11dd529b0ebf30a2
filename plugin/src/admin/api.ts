import apiFetch from '@wordpress/api-fetch';
import { __ } from '@wordpress/i18n';

/**
 * The cartback/v1 REST routes, typed. wp-api-fetch adds the REST root and the X-WP-Nonce that
 * WordPress set up for this admin page; nothing else (and never the shared secret) is handed to
 * the browser.
 */

export interface OutboxCounts {
  pending: number;
  delivered: number;
  rejected: number;
}

export interface DeliveryState {
  failures: number;
  /** Unix seconds; 0 when no retry is waiting. */
  retry_at: number;
  last_error: string;
  /** Unix seconds; 0 when nothing was delivered yet. */
  last_success_at: number;
}

export interface SettingsReply {
  sidecar_url: string;
  secret_set: boolean;
  consent: { text: string; version: number };
  outbox: OutboxCounts;
  delivery: DeliveryState;
  /** WooCommerce's own pending-order reminder email (10.9+/11) is switched on. */
  wc_pending_order_email: boolean;
  /** WooCommerce's own customer "Failed order" email is switched on. */
  wc_failed_order_email: boolean;
  /** The lanes the screen edits, in order of precedence (Rest_Lanes::LANES). */
  lanes: string[];
  /** The store's currency and its minor-unit digits (absent from plugins before discounts). */
  currency?: StoreCurrency;
  /** Only after the first saved connection: how granting store access went. */
  store_access?: StoreAccessGrant;
}

/** The store-access grant a first saved connection makes. */
export type StoreAccessGrant =
  { granted: true; key_ending: string } | { granted: false; code: string; message: string };

/**
 * How the sidecar's access to the store stands: `environment` when the sidecar uses the
 * WOOCOMMERCE_* settings it was started with, `revoked_in_woocommerce` when the key was deleted
 * under WooCommerce → Settings → Advanced → REST API, `unknown` when the sidecar cannot be asked.
 */
export type StoreAccessState = 'granted' | 'not_granted' | 'environment' | 'revoked_in_woocommerce' | 'unknown';

export interface StoreAccessReply {
  state: StoreAccessState;
  /** The key's last 7 characters, as WooCommerce lists it ('' when none). */
  key_ending: string;
  /** When the sidecar took the key (ISO 8601), '' when unknown. */
  granted_at: string;
  /** Why the state is unknown. */
  code: string;
  message: string;
}

export interface SettingsUpdate {
  sidecar_url?: string;
  secret?: string;
  consent_text?: string;
}

/** Sends the sidecar could not confirm (GET /v1/admin/status `messages`). */
export interface MessageCounts {
  /** Waiting for WhatsApp's status; never resent. */
  unknown: number;
  /** No status within the reconcile window: lost, never resent. */
  lost: number;
  /** How long a send waits for its status (RECONCILE_WINDOW). */
  reconcile_window_seconds: number;
}

export interface SidecarStatus {
  paused: boolean;
  lanes: { lane: string; enabled: boolean }[];
  /** Absent from sidecars older than the reconcile sweep. */
  messages?: MessageCounts;
}

export type ConnectionTest =
  { connected: true; status: SidecarStatus } | { connected: false; code: string; message: string };

/**
 * Whether the sidecar answers with the stored URL and secret, as the screen knows it: checked
 * (with the connection test, which always answers 200) before anything is read from the sidecar,
 * so a screen that is not connected yet makes no request that fails.
 */
export type Link =
  | { state: 'checking' }
  | { state: 'connected'; status?: SidecarStatus }
  | { state: 'not_connected'; code: string; message: string };

/** `{max, window}`: at most `max` messages within `window` (an ISO 8601 duration). */
export interface Cap {
  max: number;
  window: string;
}

/** An ISO 4217 code and how many digits its minor unit has (INR 2, JPY 0, KWD 3). */
export interface StoreCurrency {
  code: string;
  decimals: number;
}

/**
 * A message's discount (the sidecar's coupon engine): a unique coupon per message. Never on
 * payment reminders (the sidecar refuses `steps[i].incentive` there).
 */
export interface Incentive {
  type: 'percent' | 'fixed';
  /** Percent: a whole number 1–90. Fixed: minor units, more than 0. */
  amount: number;
  /** The most the discount may be worth, minor units (> 0; for fixed, at least `amount`). */
  ceiling: number;
  /** How long the coupon lasts, an ISO 8601 duration (PT1H … P30D). */
  expires_after: string;
  /** The cart must be worth at least this much, minor units; null: no minimum. */
  minimum_spend: number | null;
  /** The template sent instead when no coupon can go out (the month's budget is used up). */
  template_without_incentive: string;
}

export interface LaneStep {
  delay: string;
  template: string;
  language: string;
  /** Which values fill the template's parameters: kept as the sidecar sent them. */
  parameters: unknown;
  incentive?: Incentive;
}

/** The store's monthly discount budget and this month's use of it (minor units). */
export interface IncentiveBudget {
  /** 0: no coupon is issued. */
  monthly_budget: number;
  currency: string;
  /** YYYY-MM. */
  month: string;
  /** Coupons issued and not yet expired or redeemed: what they could still cost. */
  committed: number;
  redeemed: number;
  remaining: number;
}

/** The sidecar's lane settings (service/src/engine/lanes.ts). */
export interface LaneSettings {
  enabled: boolean;
  category: string;
  inactivity_delay: string;
  steps: LaneStep[];
  holdout_percent: number;
  quiet_hours: { start: string; end: string };
  cap_per_contact: Cap;
  lane_cap: Cap | null;
  /** Browse abandonment: once per product per shopper within it; win-back: once per shopper within it. */
  repeat_after?: string;
  /** Win-back: a customer lapses when the last paid order is this old. */
  lapse_after?: string;
  /** Win-back: products per message, 1–3. */
  max_products?: number;
}

export interface LaneReply {
  lane: string;
  settings: LaneSettings;
}

export const getSettings = () => apiFetch<SettingsReply>({ path: '/cartback/v1/settings' });

export const saveSettings = (data: SettingsUpdate) =>
  apiFetch<SettingsReply>({ path: '/cartback/v1/settings', method: 'POST', data });

export const testConnection = (data: { sidecar_url?: string; secret?: string }) =>
  apiFetch<ConnectionTest>({ path: '/cartback/v1/connection/test', method: 'POST', data });

export const getStoreAccess = () => apiFetch<StoreAccessReply>({ path: '/cartback/v1/store-access' });

export const grantStoreAccess = () =>
  apiFetch<StoreAccessReply>({ path: '/cartback/v1/store-access/grant', method: 'POST' });

export const revokeStoreAccess = () =>
  apiFetch<StoreAccessReply>({ path: '/cartback/v1/store-access/revoke', method: 'POST' });

export interface DeliveryRun {
  sent: number;
  rejected: number;
  /** Why the run stopped early ('' when everything pending went). */
  error: string;
  outbox: OutboxCounts;
  delivery: DeliveryState;
}

export const deliverNow = () => apiFetch<DeliveryRun>({ path: '/cartback/v1/outbox/deliver', method: 'POST' });

export const getLane = (lane: string) => apiFetch<LaneReply>({ path: `/cartback/v1/lanes/${lane}` });

export const saveLane = (lane: string, settings: LaneSettings) =>
  apiFetch<LaneReply>({ path: `/cartback/v1/lanes/${lane}`, method: 'PUT', data: settings });

/** A sidecar from before discounts has no budget to read: the plugin answers `{available: false}`. */
export const getIncentives = () =>
  apiFetch<IncentiveBudget | { available: false }>({ path: '/cartback/v1/incentives' });

export const saveIncentives = (data: { monthly_budget: number }) =>
  apiFetch<IncentiveBudget>({ path: '/cartback/v1/incentives', method: 'PUT', data });

/** A monitor's firing (the sidecar's `GET /v1/admin/monitors`). */
export interface MonitorEvent {
  id: number;
  monitor: string;
  /** A lane, or `all`. */
  target: string;
  reason: string;
  detail: string;
  fired_at: string;
  active: boolean;
  resumed_at: string | null;
  resumed_by: string | null;
}

export interface MonitorThresholds {
  optOutRate: number;
  optOutWindowSends: number;
  optOutMinSends: number;
  readRateRatio: number;
  readMinSends: number;
  failureRatio: number;
  failureRate: number;
  failureMinSends: number;
}

export interface MonitorsReply {
  paused: string[];
  active: MonitorEvent[];
  recent: MonitorEvent[];
  thresholds: MonitorThresholds;
}

export const getMonitors = () => apiFetch<MonitorsReply>({ path: '/cartback/v1/monitors' });

export const resumeMonitor = (target: string) =>
  apiFetch<{ resumed: string; paused: string[] }>({
    path: '/cartback/v1/monitors/resume',
    method: 'POST',
    data: { target },
  });

export const saveMonitorThresholds = (data: Partial<MonitorThresholds>) =>
  apiFetch<{ thresholds: MonitorThresholds }>({ path: '/cartback/v1/monitors/settings', method: 'PUT', data });

/** What went wrong with a call, in words for the admin, and which fields it names. */
export interface Problem {
  code: string;
  message: string;
  /** Field (or sidecar path, such as `steps[0].delay`) → what is wrong with it. */
  fields: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads an api-fetch rejection: WordPress's `{code, message, data: {params}}` (its argument
 * validation names each field in `params`), the sidecar's `{error: {code, message, path}}`
 * passed through by the lanes proxy, or a network failure.
 */
export function problemOf(thrown: unknown): Problem {
  const fallback = __('The request failed. Check that you are still logged in, then try again.', 'cartback');
  if (!isRecord(thrown)) return { code: 'unknown', message: fallback, fields: {} };
  const sidecar = thrown.error;
  if (typeof sidecar === 'string' && typeof thrown.message === 'string') {
    // The sidecar's flat `{error, message, field}` (the plugin's proxy reshapes it; just in case).
    const field = typeof thrown.field === 'string' && thrown.field !== '' ? thrown.field : undefined;
    return { code: sidecar, message: thrown.message, fields: field ? { [field]: thrown.message } : {} };
  }
  if (isRecord(sidecar)) {
    const message = typeof sidecar.message === 'string' ? sidecar.message : fallback;
    const path = typeof sidecar.path === 'string' && sidecar.path !== '' ? sidecar.path : undefined;
    return {
      code: typeof sidecar.code === 'string' ? sidecar.code : 'error',
      message,
      fields: path ? { [path]: message } : {},
    };
  }
  const fields: Record<string, string> = {};
  const data = thrown.data;
  if (isRecord(data) && isRecord(data.params)) {
    for (const [name, text] of Object.entries(data.params)) {
      if (typeof text === 'string') fields[name] = text;
    }
  }
  const code = typeof thrown.code === 'string' ? thrown.code : 'error';
  const messages = Object.values(fields);
  const message =
    messages.length > 0 ? messages.join(' ') : typeof thrown.message === 'string' ? thrown.message : fallback;
  return { code, message, fields };
}
