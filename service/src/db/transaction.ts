import type { Db, Trx } from './database';

export type AfterCommit = (hook: () => void) => void;

const RETRYABLE = new Set([
  1213, // ER_LOCK_DEADLOCK: the server chose this transaction as the victim and rolled it back
  1205, // ER_LOCK_WAIT_TIMEOUT: the statement waited too long; the transaction is rolled back below
]);

/**
 * Thrown by work that finds, once it holds its locks, that it locked too little (what it looked
 * up before locking changed meanwhile): the whole transaction is run again, as after a deadlock.
 */
export class LockedTooLittle extends Error {}

/** A deadlock or lock-wait timeout (or LockedTooLittle): running the whole transaction again may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof LockedTooLittle) return true;
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && RETRYABLE.has(errno);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt ≥ 1): a window that doubles from 10 ms up
 * to 160 ms, and a uniformly random point in its upper half (`random` in [0, 1)), so transactions
 * that collided once do not collide again at the same moment.
 */
export function retryDelayMs(attempt: number, random: number = Math.random()): number {
  const window = 10 * 2 ** Math.min(Math.max(attempt - 1, 0), 4);
  return Math.floor(window / 2 + (window / 2) * random);
}

/**
 * Runs `work` in one transaction (READ COMMITTED, the pool's session default). On a deadlock or a
 * lock-wait timeout the whole transaction is rolled back and, after a short random pause, run
 * again from the start, up to `attempts` times in all; any other error is thrown at once. So
 * `work` must do all its IO through `trx` and decide from what it reads there (a retry then sees
 * a fresh state, as if it had come later). Hooks registered with `afterCommit` run once, only
 * after a successful commit, never for an attempt that rolled back.
 */
export async function withTransaction<T>(
  db: Db,
  work: (trx: Trx, afterCommit: AfterCommit) => Promise<T>,
  { attempts = 6, sleep = defaultSleep }: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const hooks: Array<() => void> = [];
    try {
      // Kysely rolls back when `work` throws (a deadlock victim is already rolled back; a lock
      // wait timeout rolls back only the statement, so the ROLLBACK matters there).
      const result = await db.transaction().execute((trx) => work(trx, (hook) => hooks.push(hook)));
      for (const hook of hooks) hook();
      return result;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(retryDelayMs(attempt));
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
