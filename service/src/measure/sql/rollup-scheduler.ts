import { CronJob } from '../../cron-job';
import type { Db } from '../../db/database';
import type { Logger } from '../../logger';
import { refreshRollups } from './rollup';

/**
 * Refreshes the dashboard's roll-ups every minute, and once at start (measure/sql/rollup.ts), so
 * their full build — at the first start after migration 0017 on a busy store, or after a rate card
 * change — happens here rather than while someone waits for the dashboard. Dashboard queries still
 * refresh first, waiting at most {@link REQUEST_WAIT_SECONDS} for a refresh under way.
 */
export const REQUEST_WAIT_SECONDS = 5;

export class RollupScheduler {
  private readonly job: CronJob;

  constructor(options: { db: Db; storeId: number; logger: Logger }) {
    const { db, storeId, logger } = options;
    this.job = new CronJob({
      name: 'cartback-measure-rollups',
      expression: '45 * * * * *',
      logger,
      failure: 'dashboard roll-up refresh failed',
      work: async (now) => {
        const started = Date.now();
        const result = await refreshRollups(db, storeId, now);
        if (result.full) logger.info({ ms: Date.now() - started }, 'dashboard roll-ups rebuilt');
      },
    });
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
