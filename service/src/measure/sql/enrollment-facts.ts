import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { EnrollmentFacts } from '../report';
import { bucketOf, num, type Range } from './bucket';

/**
 * Journeys begun in the range, per lane, cell and period, and of the treated ones how many
 * stopped because the contact opted out (measure/report.ts); from the roll-up
 * (measure/sql/rollup.ts: whole UTC hours, an hour counting when it begins in the range).
 */
export async function enrollmentFacts(db: Db, range: Range): Promise<EnrollmentFacts[]> {
  const bucket = bucketOf('slot', range.boundaries);
  const { rows } = await sql<{
    lane: string;
    cell: 'treatment' | 'holdout';
    bucket: number;
    enrolled: unknown;
    opted_out: unknown;
  }>`
    SELECT lane, cell, ${bucket} AS bucket, SUM(enrolled) AS enrolled, SUM(opted_out) AS opted_out
    FROM measure_enrollment_slots
    WHERE store_id = ${range.storeId} AND slot >= ${range.from} AND slot < ${range.to}
      ${range.lane ? sql`AND lane = ${range.lane}` : sql``}
    GROUP BY lane, cell, bucket`.execute(db);
  return rows.map((r) => ({
    lane: r.lane,
    cell: r.cell,
    bucket: num(r.bucket),
    enrolled: num(r.enrolled),
    optedOut: num(r.opted_out),
  }));
}
