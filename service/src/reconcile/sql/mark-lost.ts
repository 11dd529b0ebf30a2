import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import type { ReasonCode } from '../../engine/reasons';
import { decideLost, lostCutoff } from '../decide';

/** The reason recorded with a message that became `lost` (engine/reasons.ts). */
export const LOST_REASON: ReasonCode = 'reconcile_timeout';

/**
 * One batch of the sweep, in one transaction: locks up to `limit` `unknown` messages whose
 * attempt is older than the window (SKIP LOCKED: another sweeper, or a status webhook applying
 * to one of them, is not waited for), lets `decideLost` judge them, moves those it names to
 * `lost` with a conditional UPDATE (only from `unknown`, only past the window), and records one
 * history row each. Idempotent: a lost message is no longer `unknown`, so no later batch sees
 * it again. Returns how many became lost (fewer than `limit`: nothing more to do now).
 */
export async function markLostBatch(db: Db, now: Date, windowMs: number, limit: number): Promise<number> {
  const cutoff = lostCutoff(now, windowMs);
  const attempted = sql<Date>`COALESCE(attempted_at, updated_at)`;
  return withTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('messages')
      .select(['id', 'store_id', 'enrollment_id', 'step', 'state', 'attempted_at', 'updated_at'])
      .where('state', '=', 'unknown')
      .where(attempted, '<=', cutoff)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const verdicts = decideLost(
      rows.map((r) => ({ id: r.id, state: r.state, attemptedAt: r.attempted_at, updatedAt: r.updated_at })),
      now,
      windowMs,
    );
    if (verdicts.length === 0) return 0;
    await trx
      .updateTable('messages')
      .set({ state: 'lost', lost_at: now, updated_at: now })
      .where(
        'id',
        'in',
        verdicts.map((v) => v.id),
      )
      .where('state', '=', 'unknown')
      .where(attempted, '<=', cutoff)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    await trx
      .insertInto('enrollment_history')
      .values(
        verdicts.map((v) => {
          const row = byId.get(v.id)!;
          return {
            store_id: row.store_id,
            enrollment_id: row.enrollment_id,
            at: now,
            kind: 'lost',
            step: row.step,
            reason: LOST_REASON,
            detail: v.detail,
          };
        }),
      )
      .execute();
    return verdicts.length;
  });
}
