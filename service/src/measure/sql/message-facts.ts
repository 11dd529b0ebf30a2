import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { MessageFacts } from '../report';
import { bucketOf, num, type Range } from './bucket';

/**
 * Messages queued in the range per lane, step, template and period (from the roll-up,
 * measure/sql/rollup.ts): how many reached sent, delivered, read, failed, and how many were
 * clicked, and what the delivered ones cost (USD micros, priced at the rate card when rolled up).
 * A held-out or skipped step is no message sent and counts nowhere here.
 */
export async function messageFacts(db: Db, range: Range): Promise<MessageFacts[]> {
  const bucket = bucketOf('slot', range.boundaries);
  const { rows } = await sql<Record<string, unknown> & { lane: string; template: string }>`
    SELECT lane, step, template, ${bucket} AS bucket, SUM(sent) AS sent, SUM(delivered) AS delivered,
      SUM(\`read\`) AS \`read\`, SUM(failed) AS failed, SUM(clicked) AS clicked,
      SUM(cost_micros) AS cost_micros
    FROM measure_message_slots
    WHERE store_id = ${range.storeId} AND slot >= ${range.from} AND slot < ${range.to}
      ${range.lane ? sql`AND lane = ${range.lane}` : sql``}
    GROUP BY lane, step, template, bucket`.execute(db);
  return rows.map((r) => ({
    lane: r.lane,
    step: num(r.step),
    template: r.template === '' ? null : r.template,
    bucket: num(r.bucket),
    sent: num(r.sent),
    delivered: num(r.delivered),
    read: num(r.read),
    failed: num(r.failed),
    clicked: num(r.clicked),
    costMicros: num(r.cost_micros),
  }));
}
