import type { MessageState } from '../db/schema';
import type { MessageStatus } from '../whatsapp/types';

/**
 * How far along a message is. Statuses arrive late, twice or out of order (and `delivered` may
 * be skipped): a message only ever moves forward. `unknown` (a send whose answer was lost) sits
 * with `submitting`, so any status settles it; so does `lost` (no status came within the
 * reconcile window): a status that comes after all is the provider's truth, and wins.
 */
const RANK: Partial<Record<MessageState, number>> = {
  queued: 0,
  submitting: 1,
  unknown: 1,
  lost: 1,
  submitted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
};

/** The state after a status webhook, or null when it would move the message backwards. */
export function advanceState(current: MessageState, incoming: MessageStatus): MessageState | null {
  const here = RANK[current];
  if (here === undefined) return null; // failed, held_out, skipped: final
  if (incoming === 'failed') return here < (RANK.delivered as number) ? 'failed' : null;
  const next: MessageState = incoming === 'played' ? 'read' : incoming;
  return (RANK[next] as number) > here ? next : null;
}

/** The column that keeps when a status first happened. */
export function timeColumn(status: MessageStatus): 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at' {
  switch (status) {
    case 'sent':
      return 'sent_at';
    case 'delivered':
      return 'delivered_at';
    case 'failed':
      return 'failed_at';
    default:
      return 'read_at';
  }
}
