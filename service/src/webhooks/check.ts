import { EARLIEST_EVENT_TIME, MAX_EVENT_TIME_AHEAD_MS } from '@cartback/shared';
import type { WebhookItem } from '../whatsapp/webhook';

/** Why a webhook item is skipped rather than applied (a label of cartback_webhook_items_skipped_total). */
export type SkipReason = 'message_id' | 'timestamp' | 'error_code';

/** WhatsApp's message ids (`wamid.HBgL…`) are printable ASCII; the column holds 128 of them. */
const PROVIDER_MESSAGE_ID = /^[\x21-\x7e]{1,128}$/;
/** Meta's error codes are small integers; `messages.error_code` keeps 16 characters. */
const MAX_ERROR_CODE = 2_147_483_647;

/**
 * Whether a status can be applied as it is, or why not: one the database cannot hold (a message
 * id outside ASCII such as `wamid.Ω`, a time before 2000 or more than a day ahead, an error code
 * that is no small integer) is skipped alone, and the rest of its delivery still applies.
 */
export function statusProblem(item: WebhookItem, nowMs: number): SkipReason | null {
  if (item.kind !== 'status') return null;
  if (!PROVIDER_MESSAGE_ID.test(item.providerMessageId)) return 'message_id';
  const at = item.at.getTime();
  if (at < EARLIEST_EVENT_TIME || at > nowMs + MAX_EVENT_TIME_AHEAD_MS) return 'timestamp';
  const bad = item.errors?.some((e) => !Number.isInteger(e.code) || e.code < 0 || e.code > MAX_ERROR_CODE);
  return bad ? 'error_code' : null;
}

/** Splits a delivery's items into those to apply and those to skip, with why. */
export function partitionItems(
  items: readonly WebhookItem[],
  nowMs: number,
): { apply: WebhookItem[]; skipped: Array<{ kind: WebhookItem['kind']; reason: SkipReason }> } {
  const apply: WebhookItem[] = [];
  const skipped: Array<{ kind: WebhookItem['kind']; reason: SkipReason }> = [];
  for (const item of items) {
    const reason = statusProblem(item, nowMs);
    if (reason) skipped.push({ kind: item.kind, reason });
    else apply.push(item);
  }
  return { apply, skipped };
}
