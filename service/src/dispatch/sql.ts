import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { MessagesTable } from '../db/schema';
import { withTransaction } from '../db/transaction';

export type ClaimedMessage = Pick<
  Selectable<MessagesTable>,
  | 'id'
  | 'store_id'
  | 'enrollment_id'
  | 'step'
  | 'contact_id'
  | 'phone'
  | 'template'
  | 'language'
  | 'payload'
  | 'attempts'
>;

/**
 * Claims up to `limit` due messages for sending. The claim: SELECT … FOR UPDATE SKIP LOCKED over
 * queued messages due by `now`, oldest first, then each is moved to `submitting` and the
 * transaction commits BEFORE the provider is called. A message is therefore submitted at most
 * once: if the process dies after this commit, the row stays in `submitting` and is turned into
 * `unknown` (never resent automatically) by the next dispatcher.
 */
export async function claimDue(db: Db, limit: number, now: Date): Promise<ClaimedMessage[]> {
  if (limit <= 0) return [];
  return withTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('messages')
      .select([
        'id',
        'store_id',
        'enrollment_id',
        'step',
        'contact_id',
        'phone',
        'template',
        'language',
        'payload',
        'attempts',
      ])
      .where('state', '=', 'queued')
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('messages')
      .set((eb) => ({ state: 'submitting', attempts: eb('attempts', '+', 1), attempted_at: now, updated_at: now }))
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  });
}

/**
 * Messages a previous dispatcher left in `submitting` (it died between committing the claim and
 * recording the provider's answer) may or may not have been sent: they become `unknown`, to be
 * settled by their status webhook, never resent. Run only by the process holding the lock.
 */
export async function settleOrphans(db: Db, now: Date): Promise<number> {
  const orphans = await db
    .selectFrom('messages')
    .select(['id', 'store_id', 'enrollment_id', 'step'])
    .where('state', '=', 'submitting')
    .execute();
  if (orphans.length === 0) return 0;
  await withTransaction(db, async (trx) => {
    await trx
      .updateTable('messages')
      .set({ state: 'unknown', updated_at: now })
      .where(
        'id',
        'in',
        orphans.map((o) => o.id),
      )
      .where('state', '=', 'submitting')
      .execute();
    await trx
      .insertInto('enrollment_history')
      .values(
        orphans.map((o) => ({
          store_id: o.store_id,
          enrollment_id: o.enrollment_id,
          at: now,
          kind: 'unknown',
          step: o.step,
          reason: null,
          detail: 'dispatcher stopped while submitting; waiting for a status webhook, never resent',
        })),
      )
      .execute();
  });
  return orphans.length;
}
