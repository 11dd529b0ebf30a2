import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { EnrollmentFacts } from '../report';
import { bucketOf, num, type Range } from './bucket';

/**
 * Journeys begun in the range, per lane, cell and period, and of the treated ones how many
 * stopped because the contact opted out (measure/report.ts). One GROUP BY over the key
 * `enrollments_created` (store_id, created_at).
 */
export async function enrollmentFacts(db: Db, range: Range): Promise<EnrollmentFacts[]> {
  const bucket = bucketOf('created_at', range.boundaries);
  const { rows } = await sql<{
    lane: string;
    cell: 'treatment' | 'holdout';
    bucket: number;
    enrolled: unknown;
    opted_out: unknown;
  }>`
    SELECT lane, cell, ${bucket} AS bucket, COUNT(*) AS enrolled,
      SUM(cell = 'treatment' AND stop_reason = 'opted_out') AS opted_out
    FROM enrollments
    WHERE store_id = ${range.storeId} AND created_at >= ${range.from} AND created_at < ${range.to}
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
