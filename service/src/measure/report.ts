import { microsToMinor, type RateCard } from './rate-card';

/**
 * Measurement (issue 12, part 1): pure functions from aggregated facts — counted by SQL per lane,
 * step, template and period (measure/sql/) — to the figures a store owner reads. Nothing here
 * reads a clock or a database.
 *
 * Definitions (each fact counts in the period its message was queued, or its enrollment began):
 * - enrolled: journeys begun, per cell (treatment, holdout); lane level only.
 * - sent / delivered / read: messages that reached that status (a later status implies the earlier:
 *   `delivered` may be skipped by WhatsApp); failed: refused or undeliverable.
 * - unique clicks: messages with at least one click on their link.
 * - opt-outs: treated journeys stopped because the contact opted out (STOP, the opt-out button,
 *   the app's preference); lane level.
 * - conversions, recovered and influenced revenue: orders attributed to the lane's messages
 *   (engine/attribution.ts), amounts net of refunds, in the store's currency.
 * - incentive cost: the redeemed value of the messages' coupons, store currency.
 * - message cost: measure/rate-card.ts, in USD minor units (cents).
 * - net = recovered revenue − incentive cost − message cost, when message cost can be put in the
 *   store's currency (it is USD, or the admin set a conversion rate); else null, and
 *   `net_before_message_cost` is given with the message cost beside it in USD.
 */

export interface Key {
  lane: string;
  /** Null: the lane as a whole. */
  step: number | null;
  template: string | null;
  /** Index of the period (measure/period.ts), or 0 when not split by period. */
  bucket: number;
}

export interface EnrollmentFacts {
  lane: string;
  bucket: number;
  cell: 'treatment' | 'holdout';
  enrolled: number;
  optedOut: number;
}

export interface MessageFacts extends Key {
  step: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  clicked: number;
  /**
   * What the delivered ones cost, USD micros: each priced by `messageCostMicros`
   * (measure/rate-card.ts) — in SQL, when the roll-up was built (measure/sql/rollup.ts).
   */
  costMicros: number;
}

export interface AttributionFacts extends Key {
  step: number;
  kind: 'recovered' | 'influenced';
  orders: number;
  amount: number;
}

export interface IncentiveFacts extends Key {
  step: number;
  redeemed: number;
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
  /** USD cents. */
  message_cost_usd: number;
  /** Store currency minor units; null when the message cost cannot be converted. */
  message_cost: number | null;
  net_before_message_cost: number;
  net: number | null;
}

export function emptyFigures(): Figures {
  return {
    enrolled_treated: 0,
    enrolled_holdout: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    failed: 0,
    unique_clicks: 0,
    opt_outs: 0,
    conversions: 0,
    recovered_orders: 0,
    recovered_revenue: 0,
    influenced_orders: 0,
    influenced_revenue: 0,
    incentive_cost: 0,
    message_cost_usd: 0,
    message_cost: 0,
    net_before_message_cost: 0,
    net: 0,
  };
}

export interface Facts {
  enrollments: readonly EnrollmentFacts[];
  messages: readonly MessageFacts[];
  attributions: readonly AttributionFacts[];
  incentives: readonly IncentiveFacts[];
}

export interface Conversion {
  /** Store currency units per USD: 1 when the store's currency is USD, the admin's rate, or null. */
  storePerUsd: number | null;
  /** Minor-unit digits of the store's currency (2 for EUR, 0 for JPY). */
  storeDigits: number;
}

/** How to convert: none needed for a USD store; else the admin's rate, if set. */
export function conversionFor(card: RateCard, storeCurrency: string, storeDigits: number): Conversion {
  if (storeCurrency === 'USD') return { storePerUsd: 1, storeDigits };
  return { storePerUsd: card.store_currency_per_usd, storeDigits };
}

/** USD micros → store minor units at the admin's rate (rounded once). */
export function usdMicrosToStoreMinor(micros: number, conversion: Conversion): number | null {
  if (conversion.storePerUsd === null) return null;
  return Math.round((micros / 1e6) * conversion.storePerUsd * 10 ** conversion.storeDigits);
}

/** Sums the facts per `keyOf` (e.g. per lane and period, or per step) into figures. */
export function figuresBy(facts: Facts, conversion: Conversion, keyOf: (key: Key) => string): Map<string, Figures> {
  const out = new Map<string, Figures>();
  const micros = new Map<string, number>();
  const at = (key: Key): Figures => {
    const id = keyOf(key);
    let figures = out.get(id);
    if (!figures) out.set(id, (figures = emptyFigures()));
    return figures;
  };
  for (const e of facts.enrollments) {
    const f = at({ lane: e.lane, step: null, template: null, bucket: e.bucket });
    if (e.cell === 'treatment') f.enrolled_treated += e.enrolled;
    else f.enrolled_holdout += e.enrolled;
    f.opt_outs += e.optedOut;
  }
  for (const m of facts.messages) {
    const f = at(m);
    f.sent += m.sent;
    f.delivered += m.delivered;
    f.read += m.read;
    f.failed += m.failed;
    f.unique_clicks += m.clicked;
    micros.set(keyOf(m), (micros.get(keyOf(m)) ?? 0) + m.costMicros);
  }
  for (const a of facts.attributions) {
    const f = at(a);
    f.conversions += a.orders;
    if (a.kind === 'recovered') {
      f.recovered_orders += a.orders;
      f.recovered_revenue += a.amount;
    } else {
      f.influenced_orders += a.orders;
      f.influenced_revenue += a.amount;
    }
  }
  for (const i of facts.incentives) at(i).incentive_cost += i.redeemed;
  for (const [id, f] of out) {
    const cost = micros.get(id) ?? 0;
    f.message_cost_usd = microsToMinor(cost);
    f.message_cost = usdMicrosToStoreMinor(cost, conversion);
    f.net_before_message_cost = f.recovered_revenue - f.incentive_cost;
    f.net = f.message_cost === null ? null : f.net_before_message_cost - f.message_cost;
  }
  return out;
}

/** Adds figures (for totals); net stays null if any part's is. */
export function addFigures(a: Figures, b: Figures): Figures {
  const sum = emptyFigures();
  for (const key of Object.keys(sum) as Array<keyof Figures>) {
    const x = a[key];
    const y = b[key];
    (sum[key] as number | null) = x === null || y === null ? null : x + y;
  }
  return sum;
}
