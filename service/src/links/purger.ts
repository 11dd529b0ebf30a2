import type { Db } from '../db/database';
import { CronJob } from '../cron-job';
import type { Logger } from '../logger';
import { purgeExpiredTokens } from './sql/purge-tokens';

export interface PurgerOptions {
  db: Db;
  storeId: number;
  logger: Logger;
  /** Rows deleted per statement (default 500). */
  batch?: number;
  /** Statements per run at most (default 20); what is left goes at the next run. */
  maxBatches?: number;
}

/**
 * Deletes expired restore tokens every ten minutes (node-cron, never two runs at once), in small
 * batches, so the table holds only tokens that still open a cart. Any number of processes may run
 * it: each batch is one DELETE … LIMIT.
 */
export class TokenPurger {
  private readonly job: CronJob;

  constructor(private readonly options: PurgerOptions) {
    this.job = new CronJob({
      name: 'cartback-token-purge',
      expression: '30 */10 * * * *',
      logger: options.logger,
      failure: 'restore token purge failed',
      work: async (now) => {
        const deleted = await this.purge(now);
        if (deleted > 0) options.logger.info({ deleted }, 'expired restore tokens purged');
      },
    });
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One run at `now`: batches until one comes back short, or `maxBatches`. Returns rows deleted. */
  async purge(now: Date): Promise<number> {
    const { db, storeId, batch = 500, maxBatches = 20 } = this.options;
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const deleted = await purgeExpiredTokens(db, storeId, now, batch);
      total += deleted;
      if (deleted < batch) break;
    }
    return total;
  }
}
