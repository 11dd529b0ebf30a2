import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { PAID_STATUSES } from '../../engine/conversion';
import type { CellFacts } from '../lift';
import { num, type Range } from './bucket';

/** An enrolled journey converts with a paid order by its contact placed this long after it began. */
export const LIFT_WINDOW_DAYS = 7;

/**
 * Per lane and cell, over journeys begun in the range: how many, how many converted, and the sum
 * and sum of squares of revenue per journey (measure/lift.ts). Both cells are measured the same
 * way, so holdout journeys (which have no message to attribute to) compare fairly: a journey
 * converted when its contact placed a paid order (an `order.paid`, or a paid status) within
 * {@link LIFT_WINDOW_DAYS} days after it began; its revenue is those orders' totals net of
 * refunds (as attribution counts them: no amount with a refund date is a full refund).
 */
export async function liftFacts(
  db: Db,
  range: Range,
): Promise<Map<string, { treated: CellFacts; holdout: CellFacts }>> {
  const paid = sql.join(PAID_STATUSES.flatMap((s) => [sql.lit(s), sql.lit(`wc-${s}`)]));
  const { rows } = await sql<{
    lane: string;
    cell: 'treatment' | 'holdout';
    n: unknown;
    converted: unknown;
    revenue: unknown;
    squares: unknown;
  }>`
    SELECT t.lane, t.cell, COUNT(*) AS n, SUM(t.converted) AS converted, SUM(t.revenue) AS revenue,
      SUM(t.revenue * t.revenue) AS squares
    FROM (
      SELECT e.id, e.lane, e.cell, MAX(o.order_id IS NOT NULL) AS converted,
        COALESCE(SUM(GREATEST(0, COALESCE(o.total, 0) - COALESCE(o.refunded_amount,
          CASE WHEN o.refunded_at IS NOT NULL THEN COALESCE(o.total, 0) ELSE 0 END))), 0) AS revenue
      FROM enrollments e
      LEFT JOIN orders o ON o.store_id = e.store_id AND o.contact_id = e.contact_id
        AND o.placed_at >= e.created_at AND o.placed_at < e.created_at + INTERVAL ${sql.lit(LIFT_WINDOW_DAYS)} DAY
        AND (o.paid_at IS NOT NULL OR LOWER(o.status) IN (${paid}))
      WHERE e.store_id = ${range.storeId} AND e.created_at >= ${range.from} AND e.created_at < ${range.to}
        ${range.lane ? sql`AND e.lane = ${range.lane}` : sql``}
      GROUP BY e.id, e.lane, e.cell
    ) t
    GROUP BY t.lane, t.cell`.execute(db);
  const out = new Map<string, { treated: CellFacts; holdout: CellFacts }>();
  const empty = (): CellFacts => ({ enrolled: 0, converted: 0, revenue: 0, revenueSquares: 0 });
  for (const r of rows) {
    const lane = out.get(r.lane) ?? { treated: empty(), holdout: empty() };
    lane[r.cell === 'treatment' ? 'treated' : 'holdout'] = {
      enrolled: num(r.n),
      converted: num(r.converted),
      revenue: num(r.revenue),
      revenueSquares: num(r.squares),
    };
    out.set(r.lane, lane);
  }
  return out;
}
