import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { CellFacts } from '../lift';
import { num, type Range } from './bucket';

/**
 * Per lane and cell, over journeys begun in the range: how many, how many converted, and the sum
 * and sum of squares of revenue per journey (measure/lift.ts), from the roll-up (the sums add up
 * across hours; how a journey converts: measure/sql/rollup.ts).
 */
export async function liftFacts(
  db: Db,
  range: Range,
): Promise<Map<string, { treated: CellFacts; holdout: CellFacts }>> {
  const { rows } = await sql<{
    lane: string;
    cell: 'treatment' | 'holdout';
    n: unknown;
    converted: unknown;
    revenue: unknown;
    squares: unknown;
  }>`
    SELECT lane, cell, SUM(enrolled) AS n, SUM(converted) AS converted, SUM(revenue) AS revenue, SUM(squares) AS squares
    FROM measure_enrollment_slots
    WHERE store_id = ${range.storeId} AND slot >= ${range.from} AND slot < ${range.to}
      ${range.lane ? sql`AND lane = ${range.lane}` : sql``}
    GROUP BY lane, cell`.execute(db);
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
