import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { CostFacts, MessageFacts } from '../report';
import { bucketOf, num, type Range } from './bucket';

/**
 * Messages queued in the range per lane, step, template and period: how many reached sent,
 * delivered, read, failed, and how many were clicked (a click row exists for one of their links;
 * `clicks` holds one row per link code, so `EXISTS` counts the message once). A held-out or
 * skipped step is no message sent: it has none of the times, so it counts nowhere here.
 */
export async function messageFacts(db: Db, range: Range): Promise<MessageFacts[]> {
  const bucket = bucketOf('m.created_at', range.boundaries);
  const { rows } = await sql<Record<string, unknown> & { lane: string; template: string | null }>`
    SELECT m.lane, m.step, m.template, ${bucket} AS bucket,
      SUM(COALESCE(m.sent_at, m.delivered_at, m.read_at) IS NOT NULL) AS sent,
      SUM(COALESCE(m.delivered_at, m.read_at) IS NOT NULL) AS delivered,
      SUM(m.read_at IS NOT NULL) AS \`read\`,
      SUM(m.state = 'failed') AS failed,
      SUM(EXISTS (SELECT 1 FROM clicks c WHERE c.store_id = m.store_id AND c.message_id = m.id)) AS clicked
    FROM messages m
    WHERE m.store_id = ${range.storeId} AND m.created_at >= ${range.from} AND m.created_at < ${range.to}
      AND m.state NOT IN ('held_out', 'skipped')
      ${range.lane ? sql`AND m.lane = ${range.lane}` : sql``}
    GROUP BY m.lane, m.step, m.template, bucket`.execute(db);
  return rows.map((r) => ({
    lane: r.lane,
    step: num(r.step),
    template: r.template,
    bucket: num(r.bucket),
    sent: num(r.sent),
    delivered: num(r.delivered),
    read: num(r.read),
    failed: num(r.failed),
    clicked: num(r.clicked),
  }));
}

/**
 * Delivered messages for their cost (measure/rate-card.ts), grouped by what decides it: the
 * recipient's country (the phone's first five characters — "+1415", "+4915", "+9198" — name the
 * calling code and, for +1, the area code; one phone of the group stands for it), the template's
 * category and the webhook's pricing.
 */
export async function costFacts(db: Db, range: Range): Promise<CostFacts[]> {
  const bucket = bucketOf('m.created_at', range.boundaries);
  const { rows } = await sql<
    Record<string, unknown> & { lane: string; template: string | null; category: string; sample: string }
  >`
    SELECT m.lane, m.step, m.template, ${bucket} AS bucket, LEFT(m.phone, 5) AS prefix, MIN(m.phone) AS sample,
      m.category, m.pricing_billable, m.pricing_category, m.pricing_type, COUNT(*) AS delivered
    FROM messages m
    WHERE m.store_id = ${range.storeId} AND m.created_at >= ${range.from} AND m.created_at < ${range.to}
      AND COALESCE(m.delivered_at, m.read_at) IS NOT NULL
      ${range.lane ? sql`AND m.lane = ${range.lane}` : sql``}
    GROUP BY m.lane, m.step, m.template, bucket, prefix, m.category, m.pricing_billable, m.pricing_category, m.pricing_type`.execute(
    db,
  );
  return rows.map((r) => ({
    lane: r.lane,
    step: num(r.step),
    template: r.template,
    bucket: num(r.bucket),
    samplePhone: r.sample,
    category: r.category,
    pricing:
      r.pricing_billable === null
        ? null
        : {
            billable: Boolean(num(r.pricing_billable)),
            category: (r.pricing_category as string | null) ?? null,
            type: (r.pricing_type as string | null) ?? null,
          },
    delivered: num(r.delivered),
  }));
}
