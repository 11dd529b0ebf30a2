import type { Db } from '../db/database';
import { CronJob } from '../cron-job';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { reconcileCounts } from './sql/counts';
import { markLostBatch } from './sql/mark-lost';

export interface SweeperOptions {
  db: Db;
  logger: Logger;
  /** How long an `unknown` send waits for its status webhook before it is `lost` (RECONCILE_WINDOW). */
  windowMs: number;
  metrics?: Pick<Metrics, 'messagesLost' | 'messagesUnknown' | 'messagesLostNow'>;
  /** Messages per transaction. */
  batch?: number;
  /** Most batches in one sweep; the rest wait for the next. */
  maxBatches?: number;
}

/**
 * The reconcile sweep's clock: once a minute (node-cron, never two sweeps at once), and once at
 * start, `unknown` messages whose window has run out become `lost` in small batches. Several
 * processes may run it against one database: rows are claimed with SKIP LOCKED and moved only
 * from `unknown`. Keeps the lost counter and the unknown/lost gauges.
 */
export class LostSweeper {
  private readonly job: CronJob;

  constructor(private readonly options: SweeperOptions) {
    this.job = new CronJob({
      name: 'cartback-reconcile',
      expression: '0 * * * * *',
      logger: options.logger,
      failure: 'reconcile sweep failed',
      work: async (now) => void (await this.sweep(now)),
    });
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep at `now`: returns how many messages became lost. */
  async sweep(now: Date): Promise<number> {
    const { db, logger, metrics, windowMs } = this.options;
    const batch = this.options.batch ?? 100;
    const maxBatches = this.options.maxBatches ?? 20;
    let lost = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await markLostBatch(db, now, windowMs, batch);
      lost += n;
      if (n < batch) break;
    }
    if (lost > 0) {
      metrics?.messagesLost.inc(lost);
      logger.warn({ lost, windowMs }, 'sends with no status within the reconcile window are now lost; never resent');
    }
    if (metrics) {
      const counts = await reconcileCounts(db);
      metrics.messagesUnknown.set(counts.unknown);
      metrics.messagesLostNow.set(counts.lost);
    }
    return lost;
  }
}
