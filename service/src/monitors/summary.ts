import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * The weekly summary for the store admin's email (issue 12, part 5): over the 7 days before
 * `now`, the revenue recovered (orders paid in the week that a message recovered, from the
 * attributions table, net of refunds, per currency, minor units), the orders influenced, the
 * messages sent, the WhatsApp opt-outs and the monitors' firings. `incremental` (filled in by
 * the route from the dashboard's lift, weeklyIncremental below) is the revenue the messages added
 * against the holdout, with its 95% interval, and a sentence saying so.
 */
export interface WeeklySummary {
  from: string;
  to: string;
  recovered: Array<{ currency: string | null; orders: number; amount: number }>;
  influenced: Array<{ currency: string | null; orders: number; amount: number }>;
  sent: number;
  opt_outs: number;
  monitor_firings: number;
  incremental: WeeklyIncremental | null;
}

export interface WeeklyIncremental {
  /** Minor units of `currency`; null while there is not enough data to compare. */
  estimate: number | null;
  low: number | null;
  high: number | null;
  currency: string;
  text: string;
}

/**
 * The week's incremental revenue in plain words, from the dashboard's combined interval over all
 * lanes (measure/dashboard.ts): "Incremental revenue (against the holdout group): ₹2,400.00, 95%
 * CI ₹300.00 to ₹4,500.00." or, with no interval, that there is not enough data yet.
 */
export function weeklyIncremental(
  interval: { estimate: number; low: number; high: number } | null,
  store: { currency: string; locale: string },
): WeeklyIncremental {
  const label = 'Incremental revenue (against the holdout group)';
  if (!interval) {
    return {
      estimate: null,
      low: null,
      high: null,
      currency: store.currency,
      text: `${label}: not enough data yet to compare with the holdout.`,
    };
  }
  const format = new Intl.NumberFormat(store.locale, { style: 'currency', currency: store.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const money = (minor: number) => format.format(Math.round(minor) / 10 ** digits);
  const [estimate, low, high] = [interval.estimate, interval.low, interval.high].map(Math.round) as [
    number,
    number,
    number,
  ];
  return {
    estimate,
    low,
    high,
    currency: store.currency,
    text: `${label}: ${money(estimate)}, 95% CI ${money(low)} to ${money(high)}.`,
  };
}

const WEEK_MS = 7 * 24 * 3_600_000;

export async function weeklySummary(db: Db, storeId: number, now: Date): Promise<WeeklySummary> {
  const from = new Date(now.getTime() - WEEK_MS);
  const money = await sql<{
    kind: string;
    currency: string | null;
    orders: number | string;
    amount: number | string | null;
  }>`
    SELECT a.kind, a.currency, COUNT(*) AS orders, SUM(a.amount) AS amount
    FROM attributions a
    JOIN orders o ON o.store_id = a.store_id AND o.order_id = a.order_id
    WHERE a.store_id = ${storeId} AND o.paid_at >= ${from} AND o.paid_at < ${now}
    GROUP BY a.kind, a.currency
    ORDER BY a.currency`.execute(db);
  const of = (kind: string) =>
    money.rows
      .filter((r) => r.kind === kind)
      .map((r) => ({ currency: r.currency, orders: Number(r.orders), amount: Number(r.amount ?? 0) }));
  const sent = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('store_id', '=', storeId)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', now)
    .executeTakeFirst();
  const optOuts = await db
    .selectFrom('consent_ledger')
    .select((eb) => eb.fn.count<number | string>('contact_id').distinct().as('n'))
    .where('store_id', '=', storeId)
    .where('action', '=', 'withdrawn')
    .where('source', 'in', ['whatsapp_stop', 'whatsapp_stop_button', 'whatsapp_preferences'])
    .where('recorded_at', '>=', from)
    .where('recorded_at', '<', now)
    .executeTakeFirst();
  const firings = await db
    .selectFrom('monitor_events')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('store_id', '=', storeId)
    .where('fired_at', '>=', from)
    .where('fired_at', '<', now)
    .executeTakeFirst();
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    recovered: of('recovered'),
    influenced: of('influenced'),
    sent: Number(sent?.n ?? 0),
    opt_outs: Number(optOuts?.n ?? 0),
    monitor_firings: Number(firings?.n ?? 0),
    incremental: null,
  };
}
