import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { AttributionFacts, IncentiveFacts } from '../report';
import { bucketOf, num, type Range } from './bucket';

/**
 * Orders attributed to messages queued in the range (the roll-up of attributions,
 * measure/sql/rollup.ts), per lane, step, template, period and kind: how many, and their amount
 * net of refunds.
 */
export async function attributionFacts(db: Db, range: Range): Promise<AttributionFacts[]> {
  const bucket = bucketOf('slot', range.boundaries);
  const { rows } = await sql<
    Record<string, unknown> & { lane: string; template: string; kind: 'recovered' | 'influenced' }
  >`
    SELECT lane, step, template, ${bucket} AS bucket, kind, SUM(orders) AS orders, SUM(amount) AS amount
    FROM measure_attribution_slots
    WHERE store_id = ${range.storeId} AND slot >= ${range.from} AND slot < ${range.to}
      ${range.lane ? sql`AND lane = ${range.lane}` : sql``}
    GROUP BY lane, step, template, bucket, kind`.execute(db);
  return rows.map((r) => ({
    lane: r.lane,
    step: num(r.step),
    template: r.template === '' ? null : r.template,
    bucket: num(r.bucket),
    kind: r.kind,
    orders: num(r.orders),
    amount: num(r.amount),
  }));
}

/**
 * What the messages' coupons cost: the redeemed value of coupons (migration 0015's `coupons`:
 * `message_id`, `redeemed_value`, minor units) of messages queued in the range.
 */
export async function incentiveFacts(db: Db, range: Range): Promise<IncentiveFacts[]> {
  const bucket = bucketOf('m.created_at', range.boundaries);
  const { rows } = await sql<Record<string, unknown> & { lane: string; template: string | null }>`
    SELECT m.lane, m.step, m.template, ${bucket} AS bucket, SUM(k.redeemed_value) AS redeemed
    FROM coupons k JOIN messages m ON m.id = k.message_id
    WHERE k.store_id = ${range.storeId} AND k.redeemed_value IS NOT NULL
      AND m.created_at >= ${range.from} AND m.created_at < ${range.to}
      ${range.lane ? sql`AND m.lane = ${range.lane}` : sql``}
    GROUP BY m.lane, m.step, m.template, bucket`.execute(db);
  return rows.map((r) => ({
    lane: r.lane,
    step: num(r.step),
    template: r.template,
    bucket: num(r.bucket),
    redeemed: num(r.redeemed),
  }));
}
