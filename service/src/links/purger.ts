import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/database';
import { loggableError } from '../http/errors';
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
  private task: ScheduledTask | null = null;
  private current: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PurgerOptions) {}

  start(): void {
    this.task = cron.schedule('30 */10 * * * *', () => this.run(), { name: 'cartback-token-purge', noOverlap: true });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    this.task = null;
    await this.current;
  }

  private run(): Promise<unknown> {
    this.current = this.purge(new Date()).then(
      (deleted) => {
        if (deleted > 0) this.options.logger.info({ deleted }, 'expired restore tokens purged');
      },
      (error: unknown) => this.options.logger.error({ err: loggableError(error) }, 'restore token purge failed'),
    );
    return this.current;
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
