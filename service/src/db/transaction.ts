import type { Db, Trx } from './database';

export type AfterCommit = (hook: () => void) => void;

const RETRYABLE = new Set([
  1213, // ER_LOCK_DEADLOCK
  1205, // ER_LOCK_WAIT_TIMEOUT
]);

function isRetryable(error: unknown): boolean {
  const errno = (error as { errno?: number } | null)?.errno;
  return errno !== undefined && RETRYABLE.has(errno);
}

/**
 * Runs `work` in one transaction (READ COMMITTED, the pool's session default). On a deadlock or lock-wait timeout the whole
 * transaction is rolled back by the server and run again from the start (so `work` must do all
 * its IO through `trx`). Hooks registered with `afterCommit` run once, only after a successful
 * commit, never for an attempt that rolled back.
 */
export async function withTransaction<T>(
  db: Db,
  work: (trx: Trx, afterCommit: AfterCommit) => Promise<T>,
  { attempts = 5 }: { attempts?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const hooks: Array<() => void> = [];
    try {
      const result = await db.transaction().execute((trx) => work(trx, (hook) => hooks.push(hook)));
      for (const hook of hooks) hook();
      return result;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}
