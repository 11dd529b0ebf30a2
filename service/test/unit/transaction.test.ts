import type { Db, Trx } from '../../src/db/database';
import { isRetryable, LockedTooLittle, retryDelayMs, withTransaction } from '../../src/db/transaction';

/** A database whose transactions only run the work (as Kysely does: a throw is passed on). */
function fakeDb(): { db: Db; transactions: () => number } {
  let transactions = 0;
  const db = {
    transaction: () => ({
      execute: <T>(work: (trx: Trx) => Promise<T>) => {
        transactions++;
        return work({} as Trx);
      },
    }),
  } as unknown as Db;
  return { db, transactions: () => transactions };
}

const mysqlError = (errno: number, message: string) => Object.assign(new Error(message), { errno });
const deadlock = () => mysqlError(1213, 'Deadlock found when trying to get lock; try restarting transaction');

describe('withTransaction (retry policy)', () => {
  it('runs the whole work again after a deadlock, and runs the hooks of the attempt that committed only', async () => {
    const { db, transactions } = fakeDb();
    const pauses: number[] = [];
    const hooks: number[] = [];
    let attempts = 0;
    const result = await withTransaction(
      db,
      async (_trx, afterCommit) => {
        attempts++;
        afterCommit(() => hooks.push(attempts));
        if (attempts === 1) throw deadlock();
        return 'done';
      },
      { sleep: async (ms) => void pauses.push(ms) },
    );
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(transactions()).toBe(2);
    expect(hooks).toEqual([2]);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeGreaterThanOrEqual(5);
    expect(pauses[0]).toBeLessThan(10);
  });

  it('retries a lock wait timeout too', async () => {
    const { db } = fakeDb();
    let attempts = 0;
    await withTransaction(
      db,
      async () => {
        if (++attempts < 3) throw mysqlError(1205, 'Lock wait timeout exceeded; try restarting transaction');
      },
      { sleep: async () => undefined },
    );
    expect(attempts).toBe(3);
  });

  it('does not retry any other error', async () => {
    const { db, transactions } = fakeDb();
    const hooks: string[] = [];
    const duplicate = mysqlError(1062, "Duplicate entry '1' for key 'PRIMARY'");
    await expect(
      withTransaction(
        db,
        async (_trx, afterCommit) => {
          afterCommit(() => hooks.push('ran'));
          throw duplicate;
        },
        { sleep: async () => undefined },
      ),
    ).rejects.toBe(duplicate);
    expect(transactions()).toBe(1);
    expect(hooks).toEqual([]);
  });

  it('gives up after the last attempt and throws the deadlock', async () => {
    const { db, transactions } = fakeDb();
    const pauses: number[] = [];
    await expect(
      withTransaction(
        db,
        async () => {
          throw deadlock();
        },
        { attempts: 4, sleep: async (ms) => void pauses.push(ms) },
      ),
    ).rejects.toMatchObject({ errno: 1213 });
    expect(transactions()).toBe(4);
    expect(pauses).toHaveLength(3);
  });
});

describe('isRetryable', () => {
  it('is true for deadlocks, lock wait timeouts and work that locked too little only', () => {
    expect(isRetryable(deadlock())).toBe(true);
    expect(isRetryable(new LockedTooLittle('a new holder'))).toBe(true);
    expect(isRetryable(mysqlError(1205, 'Lock wait timeout'))).toBe(true);
    expect(isRetryable(mysqlError(1062, 'Duplicate entry'))).toBe(false);
    expect(isRetryable(new Error('Deadlock found'))).toBe(false);
    expect(isRetryable({ errno: '1213' })).toBe(false);
    expect(isRetryable(null)).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('waits in the upper half of a window that doubles from 10 ms and stops growing at 160 ms', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((a) => retryDelayMs(a, 0))).toEqual([5, 10, 20, 40, 80, 80, 80]);
    expect([1, 2, 3, 4, 5, 6, 9].map((a) => retryDelayMs(a, 0.999))).toEqual([9, 19, 39, 79, 159, 159, 159]);
  });
});
