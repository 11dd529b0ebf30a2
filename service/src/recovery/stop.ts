import type { Trx } from '../db/database';
import type { ReasonCode } from '../engine/reasons';

/**
 * Stops the contacts' active journeys at once (an opt-out, an erasure): each is locked first, so a
 * step being taken finishes before or starts after, then marked `stopped` with `reason`, with one
 * history row each carrying `detail`. Returns the ids it stopped. Queued messages are the
 * caller's to cancel: which ones depends on why the journeys stop.
 */
export async function stopActiveJourneys(
  trx: Trx,
  entry: { storeId: number; contactIds: readonly number[]; reason: ReasonCode; detail: string; at: Date },
): Promise<number[]> {
  if (entry.contactIds.length === 0) return [];
  const active = await trx
    .selectFrom('enrollments')
    .select('id')
    .where('store_id', '=', entry.storeId)
    .where('contact_id', 'in', [...entry.contactIds])
    .where('state', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
  const ids = active.map((e) => e.id);
  if (ids.length === 0) return ids;
  await trx
    .updateTable('enrollments')
    .set({ state: 'stopped', stop_reason: entry.reason, next_due_at: null, updated_at: entry.at })
    .where('id', 'in', ids)
    .execute();
  await trx
    .insertInto('enrollment_history')
    .values(
      ids.map((id) => ({
        store_id: entry.storeId,
        enrollment_id: id,
        at: entry.at,
        kind: 'stopped',
        step: null,
        reason: entry.reason,
        detail: entry.detail,
      })),
    )
    .execute();
  return ids;
}
