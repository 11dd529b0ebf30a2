import apiFetch from '@wordpress/api-fetch';

/**
 * The Dashboard's cartback/v1 routes (Rest_Dashboard, proxying the sidecar's signed
 * `/v1/admin/dashboard/…` and `/v1/admin/contacts/timeline`), typed as the sidecar answers
 * (service/src/measure/dashboard.ts, measure/sql/latest-messages.ts, measure/sql/timeline.ts).
 * Money is integer minor units of the store's currency; message cost `_usd` is USD cents.
 */

export type Period = 'day' | 'week' | 'month';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface Figures {
  enrolled_treated: number;
  enrolled_holdout: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  unique_clicks: number;
  opt_outs: number;
  conversions: number;
  recovered_orders: number;
  recovered_revenue: number;
  influenced_orders: number;
  influenced_revenue: number;
  incentive_cost: number;
  message_cost_usd: number;
  message_cost: number | null;
  net_before_message_cost: number;
  net: number | null;
}

export interface Cell {
  enrolled: number;
  converted: number;
  conversion_rate: number | null;
  revenue: number;
  revenue_per_contact: number | null;
}

export type VerdictKind = 'works' | 'hurts' | 'no_difference' | 'not_enough_data';

export interface LaneLift {
  treated: Cell;
  holdout: Cell;
  conversion: Interval | null;
  revenue_per_contact: Interval | null;
  incremental_revenue: Interval | null;
  verdict: { kind: VerdictKind; text: string; revenue_text: string | null; more_carts: number | null };
}

export interface LaneSummary {
  lane: string;
  figures: Figures;
  opt_out_rate: number | null;
  lift: LaneLift | null;
}

export interface Summary {
  from: string;
  to: string;
  period: Period;
  time_zone: string;
  currency: string;
  cost_currency: 'USD';
  store_currency_per_usd: number | null;
  headline: {
    recovered_revenue: number;
    influenced_revenue: number;
    incremental_revenue: Interval | null;
    incentive_cost: number;
    message_cost_usd: number;
    message_cost: number | null;
    net_before_message_cost: number;
    net: number | null;
    return_on_cost: number | null;
    incremental_return_on_cost: number | null;
    opt_out_rate: number | null;
  };
  lanes: LaneSummary[];
  revenue_over_time: {
    period: string;
    start: string;
    recovered_revenue: number;
    influenced_revenue: number;
    net: number | null;
  }[];
}

export interface LatestMessage {
  id: number;
  lane: string;
  step: number;
  template: string | null;
  category: string;
  state: string;
  /** Masked by the sidecar (+49•••••••••78). */
  phone: string;
  contact_id: number;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  error_code: string | null;
  clicked: boolean;
}

export interface MessagesPage {
  messages: LatestMessage[];
  /** The cursor for the next (older) page; null on the last. */
  next_before: number | null;
}

export type TimelineEntry =
  | { at: string; kind: 'consent'; action: string; scope: string; source: string; text_version: number }
  | {
      at: string;
      kind: 'enrolled';
      enrollment_id: number;
      lane: string;
      cell: string;
      subject_kind: string;
      subject_id: string;
      state: string;
      stop_reason: string | null;
    }
  | {
      at: string;
      kind: 'decision';
      enrollment_id: number;
      lane: string;
      decision: string;
      step: number | null;
      reason: string | null;
      detail: string | null;
    }
  | {
      at: string;
      kind: 'message';
      message_id: number;
      lane: string;
      step: number;
      template: string | null;
      state: string;
      statuses: {
        sent_at: string | null;
        delivered_at: string | null;
        read_at: string | null;
        failed_at: string | null;
      };
      error_code: string | null;
      error_message: string | null;
    }
  | { at: string; kind: 'click'; message_id: number; opens: number }
  | {
      at: string;
      kind: 'order';
      order_id: number;
      status: string | null;
      total: number | null;
      currency: string | null;
      paid_at: string | null;
      attribution: { kind: string; lane: string; step: number; message_id: number; amount: number } | null;
    };

export interface TimelineContact {
  id: number;
  phone: string;
  email: string | null;
  first_name: string | null;
  timeline: TimelineEntry[];
}

export interface Range {
  from: string;
  to: string;
}

/** A route with its query (values given; URLSearchParams encodes them). */
function withQuery(path: string, query: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) params.set(name, String(value));
  return `${path}?${params.toString()}`;
}

export const getSummary = (range: Range, period: Period) =>
  apiFetch<Summary>({ path: withQuery('/cartback/v1/dashboard/summary', { ...range, period }) });

export const getMessages = (before: number | null, limit = 20) =>
  apiFetch<MessagesPage>({
    path: withQuery('/cartback/v1/dashboard/messages', before === null ? { limit } : { limit, before }),
  });

export const getTimeline = (q: string) =>
  apiFetch<{ contacts: TimelineContact[] }>({ path: withQuery('/cartback/v1/contacts/timeline', { q }) });
