import { CronJob } from '../cron-job';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { couponsToRemove, markRemoved } from '../recovery/sql/coupons';
import { findByCode, type CouponClient } from '../recovery/step-coupon';
import { WooError, WooUnreachableError } from '../woo/errors';

/**
 * The daily coupon cleanup (issue 11, part 2): coupons that expired unused, and coupons voided
 * (their step never sent them), are deleted from the store for good (`DELETE coupons/:id?force=true`,
 * not the trash) and marked `removed`. A coupon the store does not have (404, or a reservation never
 * made there) counts as removed. Idempotent: a removed coupon is not looked at again, and a run that
 * fails half-way leaves the rest for the next. Without store access nothing is removed.
 */

const BATCH = 200;

export interface CleanupResult {
  removed: number;
  failed: number;
}

export async function runCouponCleanup(
  db: Db,
  storeId: number,
  client: CouponClient,
  now: Date,
): Promise<CleanupResult> {
  const result: CleanupResult = { removed: 0, failed: 0 };
  const woo = await client().catch(() => null);
  if (!woo) return result;
  const rows = await couponsToRemove(db, storeId, now, BATCH);
  for (const row of rows) {
    try {
      // A reservation whose make may have been lost is looked up by its code.
      const wooId = row.woo_id ?? (await findByCode(woo, row.code));
      if (wooId !== null) await woo.deleteCoupon(Number(wooId));
      await markRemoved(db, row.id, now);
      result.removed++;
    } catch (error) {
      if (error instanceof WooError && error.status === 404) {
        await markRemoved(db, row.id, now);
        result.removed++;
      } else if (error instanceof WooError || error instanceof WooUnreachableError) {
        result.failed++;
      } else {
        throw error;
      }
    }
  }
  return result;
}

/** Runs the cleanup daily at 03:30 (server time). */
export class CouponCleanup {
  private readonly job: CronJob;

  constructor(options: { db: Db; storeId: number; logger: Logger; client: CouponClient }) {
    const { db, storeId, logger, client } = options;
    this.job = new CronJob({
      name: 'cartback-coupon-cleanup',
      expression: '0 30 3 * * *',
      logger,
      failure: 'coupon cleanup failed',
      work: async (now) => {
        const result = await runCouponCleanup(db, storeId, client, now);
        if (result.removed + result.failed > 0) logger.info(result, 'coupon cleanup');
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
