import type { Trx } from '../../db/database';
import type { ReasonCode } from '../../engine/reasons';

/**
 * Why an erased person's journeys stop. Erasure deletes the consent ledger, so the person has no
 * consent from then on: the send-time policy would stop the journey with `no_consent`, and the
 * reason codes are a fixed public list (DESIGN.md), so erasure records that code and says in the
 * history's detail that an erasure decided it.
 */
export const ERASURE_STOP_REASON: ReasonCode = 'no_consent';
export const ERASURE_DETAIL = 'personal data erased at the shopper’s request';
/** What a queued message that will never go out says about itself. */
export const ERASED_BEFORE_SENDING = 'erased before sending';

/**
 * Stops the contacts' active journeys (locked first, as opt-outs do, so a step being taken
 * finishes before or starts after) with one history row each, and marks their queued messages
 * `skipped` so the dispatcher never claims them. A message already `submitting` is on its way
 * to the provider and cannot be recalled. Returns what it stopped and cancelled.
 */
export async function stopJourneys(
  trx: Trx,
  storeId: number,
  target: { contactIds: number[]; messageIds: number[] },
  now: Date,
): Promise<{ journeys: number; messages: number }> {
  const active = target.contactIds.length
    ? await trx
        .selectFrom('enrollments')
        .select('id')
        .where('store_id', '=', storeId)
        .where('contact_id', 'in', target.contactIds)
        .where('state', '=', 'active')
        .orderBy('id')
        .forUpdate()
        .execute()
    : [];
  const ids = active.map((e) => e.id);
  if (ids.length > 0) {
    await trx
      .updateTable('enrollments')
      .set({ state: 'stopped', stop_reason: ERASURE_STOP_REASON, next_due_at: null, updated_at: now })
      .where('id', 'in', ids)
      .execute();
    await trx
      .insertInto('enrollment_history')
      .values(
        ids.map((id) => ({
          store_id: storeId,
          enrollment_id: id,
          at: now,
          kind: 'stopped',
          step: null,
          reason: ERASURE_STOP_REASON,
          detail: ERASURE_DETAIL,
        })),
      )
      .execute();
  }
  if (target.messageIds.length === 0) return { journeys: ids.length, messages: 0 };
  const cancelled = await trx
    .updateTable('messages')
    .set({ state: 'skipped', error_message: ERASED_BEFORE_SENDING, updated_at: now })
    .where('store_id', '=', storeId)
    .where('id', 'in', target.messageIds)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return { journeys: ids.length, messages: Number(cancelled.numUpdatedRows) };
}
