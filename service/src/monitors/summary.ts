import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * The weekly summary for the store admin's email (issue 12, part 5): over the 7 days before
 * `now`, the revenue recovered (orders paid in the week that a message recovered, from the
 * attributions table, net of refunds, per currency, minor units), the orders influenced, the
 * messages sent, the WhatsApp opt-outs and the monitors' firings. `incremental` is null: the
 * holdout lift with its interval belongs to the measurement work (issue 12, parts 1–3).
 */
export interface WeeklySummary {
  from: string;
  to: string;
  recovered: Array<{ currency: string | null; orders: number; amount: number }>;
  influenced: Array<{ currency: string | null; orders: number; amount: number }>;
  sent: number;
  opt_outs: number;
  monitor_firings: number;
  incremental: null;
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
