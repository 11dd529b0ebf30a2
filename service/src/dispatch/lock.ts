import { sql } from 'kysely';
import type { Db } from '../db/database';

/** Server-wide lock names are at most 64 characters; the database's name is hashed into it. */
const LOCK_NAME = sql`CONCAT('cartback:dispatch:', MD5(DATABASE()))`;

export interface HeldLock {
  /** True while this process still holds the lock (false once its connection has died). */
  stillHeld(): Promise<boolean>;
}

/**
 * Runs `work` only while this process is the one dispatcher of its database. The lock is a
 * GET_LOCK held by one dedicated connection: if the process or the connection dies, the server
 * frees it and another process takes over. Returns false at once if another process holds it.
 */
export async function asDispatcher(db: Db, work: (lock: HeldLock) => Promise<void>): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ got: number | null }>`SELECT GET_LOCK(${LOCK_NAME}, 0) AS got`.execute(conn);
    if (rows[0]?.got !== 1) return false;
    const lock: HeldLock = {
      stillHeld: async () => {
        try {
          const held = await sql<{
            mine: number | null;
          }>`SELECT IS_USED_LOCK(${LOCK_NAME}) = CONNECTION_ID() AS mine`.execute(conn);
          return held.rows[0]?.mine === 1;
        } catch {
          return false;
        }
      },
    };
    try {
      await work(lock);
    } finally {
      await sql`SELECT RELEASE_LOCK(${LOCK_NAME})`.execute(conn).catch(() => undefined);
    }
    return true;
  });
}
