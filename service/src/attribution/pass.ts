import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { AttributionsTable } from '../db/schema';
import { decideAttribution, orderInstant, type Attribution } from '../engine/attribution';
import { CronJob } from '../cron-job';
import type { Logger } from '../logger';
import {
  changedOrderIds,
  deleteAttributions,
  newestClickId,
  readAttributions,
  readMessages,
  readOrders,
  readWatermark,
  upsertAttributions,
  writeWatermark,
  type OrderFacts,
} from './sql';

/**
 * The attribution pass: recomputes, from the facts, the attribution of every order whose facts
 * may have changed since the previous pass — the order itself (`updated_at`), or a click or a
 * delivery of its contact's that can reach it — and writes only what differs. Each run reads the
 * facts as they are now, so the answer is the same whatever order the facts arrived in, and a
 * second pass over the same facts changes nothing. Ingest is left alone: it only writes facts.
 *
 * The watermark (a `settings` row) is the previous pass's start; a pass looks back a further
 * WATERMARK_SLACK_MS, so a row stamped just before a pass began but committed after it is still
 * seen. Running again what was already decided costs a read and writes nothing. Several processes
 * may run passes at once: they decide the same from the same facts, and upserts converge.
 */

/** How far before the watermark a pass looks (late commits, clocks of several processes). */
export const WATERMARK_SLACK_MS = 5 * 60_000;
/** Orders decided per batch of reads. */
const BATCH = 500;

export interface AttributionPassResult {
  /** Orders looked at. */
  orders: number;
  /** Rows inserted or changed. */
  written: number;
  /** Rows removed (the order no longer counts: unpaid, cancelled, another contact). */
  removed: number;
}

export async function runAttributionPass(db: Db, storeId: number, now: Date): Promise<AttributionPassResult> {
  const mark = await readWatermark(db, storeId);
  // Read before the candidates: a click recorded meanwhile is past this id, so the next pass sees it.
  const clickId = await newestClickId(db, storeId);
  const since = mark.at ? new Date(mark.at.getTime() - WATERMARK_SLACK_MS) : null;
  const orderIds = await changedOrderIds(db, storeId, since, mark.clickId);
  const result: AttributionPassResult = { orders: orderIds.length, written: 0, removed: 0 };
  for (let i = 0; i < orderIds.length; i += BATCH) {
    const done = await decideBatch(db, storeId, orderIds.slice(i, i + BATCH), now);
    result.written += done.written;
    result.removed += done.removed;
  }
  await writeWatermark(db, storeId, { at: now, clickId: Math.max(clickId, mark.clickId) }, now);
  return result;
}

async function decideBatch(
  db: Db,
  storeId: number,
  orderIds: readonly number[],
  now: Date,
): Promise<{ written: number; removed: number }> {
  const orders = await readOrders(db, storeId, orderIds);
  const contacts = [...new Set(orders.flatMap((o) => (o.contactId === null ? [] : [o.contactId])))];
  const instants = orders.flatMap((o) => orderInstant(o) ?? []);
  const from = instants.length > 0 ? new Date(Math.min(...instants.map((d) => d.getTime()))) : now;
  const messages = await readMessages(db, storeId, contacts, from);
  const stored = new Map((await readAttributions(db, storeId, orderIds)).map((row) => [Number(row.order_id), row]));

  const write: Insertable<AttributionsTable>[] = [];
  const remove: number[] = [];
  for (const order of orders) {
    const decided = decideAttribution({ order, messages: messages.filter((m) => m.contactId === order.contactId) });
    const current = stored.get(order.orderId);
    if (decided.kind === 'none') {
      if (current) remove.push(order.orderId);
      continue;
    }
    const row = toRow(storeId, order, decided, now);
    if (!current || differs(row, current)) write.push(row);
  }
  // Orders gone from the table (erased) keep no attribution either.
  const found = new Set(orders.map((o) => o.orderId));
  for (const id of stored.keys()) if (!found.has(id)) remove.push(id);
  await upsertAttributions(db, write);
  await deleteAttributions(db, storeId, remove);
  return { written: write.length, removed: remove.length };
}

function toRow(
  storeId: number,
  order: OrderFacts,
  decided: Exclude<Attribution, { kind: 'none' }>,
  now: Date,
): Insertable<AttributionsTable> & { refunded: boolean } {
  return {
    store_id: storeId,
    order_id: order.orderId,
    kind: decided.kind,
    message_id: decided.messageId,
    lane: decided.lane,
    step: decided.step,
    enrollment_id: decided.enrollmentId,
    coupon_code: decided.couponCode,
    touched_at: decided.touchedAt,
    amount: decided.amount,
    currency: decided.currency,
    refunded: decided.refunded,
    decided_at: now,
  };
}

/** Whether the decided row says anything the stored one does not (`decided_at` aside). */
function differs(row: ReturnType<typeof toRow>, stored: Selectable<AttributionsTable>): boolean {
  return (
    row.kind !== stored.kind ||
    row.message_id !== Number(stored.message_id) ||
    row.lane !== stored.lane ||
    row.step !== stored.step ||
    row.enrollment_id !== Number(stored.enrollment_id) ||
    row.coupon_code !== stored.coupon_code ||
    (row.touched_at as Date).getTime() !== stored.touched_at.getTime() ||
    row.amount !== Number(stored.amount) ||
    row.currency !== stored.currency ||
    row.refunded !== (Number(stored.refunded) === 1)
  );
}

export interface AttributionSchedulerOptions {
  db: Db;
  storeId: number;
  logger: Logger;
}

/** Runs the pass every minute (never two runs at once in one process). */
export class AttributionScheduler {
  private readonly job: CronJob;

  constructor(options: AttributionSchedulerOptions) {
    const { db, storeId, logger } = options;
    this.job = new CronJob({
      name: 'cartback-attribution',
      expression: '15 * * * * *',
      logger,
      failure: 'attribution pass failed',
      work: async (now) => {
        const result = await runAttributionPass(db, storeId, now);
        if (result.written + result.removed > 0) logger.info(result, 'attribution pass');
      },
    });
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
