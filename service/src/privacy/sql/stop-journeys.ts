import type { Trx } from '../../db/database';
import type { ReasonCode } from '../../engine/reasons';
import { stopActiveJourneys } from '../../recovery/stop';

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
 * Stops the contacts' active journeys (recovery/stop.ts, as opt-outs do) and marks their queued messages
 * `skipped` so the dispatcher never claims them. A message already `submitting` is on its way
 * to the provider and cannot be recalled. Returns what it stopped and cancelled.
 */
export async function stopJourneys(
  trx: Trx,
  storeId: number,
  target: { contactIds: number[]; messageIds: number[] },
  now: Date,
): Promise<{ journeys: number; messages: number }> {
  const ids = await stopActiveJourneys(trx, {
    storeId,
    contactIds: target.contactIds,
    reason: ERASURE_STOP_REASON,
    detail: ERASURE_DETAIL,
    at: now,
  });
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
