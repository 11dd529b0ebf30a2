import type { ConsentScope } from '@cartback/shared';
import type { MessageState } from '../db/schema';
import type { SendOutcome } from '../whatsapp/provider';
import type { ReasonCode } from '../engine/reasons';
import { refusedForTemplate, suggestedBackoffMs } from '../whatsapp/meta-errors';

/** What to write for a claimed message once the provider has answered (pure). */
export interface OutcomeWrite {
  state: MessageState;
  providerMessageId?: string;
  dueAt?: Date;
  errorCode?: string;
  errorMessage?: string;
  /** The journey entry recorded with it. */
  history: { kind: string; reason: string | null; detail: string | null };
  /** Scopes to withdraw for the contact (the provider says the user stopped them). */
  withdraw?: ConsentScope[];
  /** True when the provider said "too fast" for the whole number: slow the bucket down. */
  throttle?: boolean;
  /** Stop the message's journey, if still active, with this reason (no later step goes). */
  stopJourney?: ReasonCode;
}

export const MAX_ATTEMPTS = 8;
/** Throttled sends were not sent at all, and the dispatcher slows down: they may wait longer. */
export const MAX_THROTTLED_ATTEMPTS = 40;
const THROTTLE = '130429';

function backoffMs(code: string, attempt: number, retryAfterMs: number | undefined): number {
  // Too fast for the number: the dispatcher halves its pace, so try again in a moment.
  if (code === THROTTLE) return Math.max(retryAfterMs ?? 0, 1000);
  const numeric = Number(code);
  const suggested = Number.isInteger(numeric) ? suggestedBackoffMs(numeric, attempt) : undefined;
  // Exponential from 2 s, capped at 15 min, when neither the provider nor the code says more.
  const fallback = Math.min(2000 * 2 ** (attempt - 1), 15 * 60_000);
  return Math.max(retryAfterMs ?? 0, suggested ?? fallback);
}

export function outcomeWrite(outcome: SendOutcome, attempts: number, now: Date): OutcomeWrite {
  switch (outcome.kind) {
    case 'accepted':
      return {
        state: 'submitted',
        providerMessageId: outcome.providerMessageId,
        history: { kind: 'submitted', reason: null, detail: null },
      };
    case 'retry':
      if (attempts >= (outcome.code === THROTTLE ? MAX_THROTTLED_ATTEMPTS : MAX_ATTEMPTS)) {
        return {
          state: 'failed',
          errorCode: outcome.code,
          errorMessage: `gave up after ${attempts} attempts: ${outcome.message}`,
          history: { kind: 'failed', reason: null, detail: `retries exhausted (${outcome.code})` },
        };
      }
      return {
        state: 'queued',
        dueAt: new Date(now.getTime() + backoffMs(outcome.code, attempts, outcome.retryAfterMs)),
        errorCode: outcome.code,
        errorMessage: outcome.message,
        history: { kind: 'retry', reason: null, detail: `${outcome.code}: ${outcome.message}` },
        throttle: outcome.code === THROTTLE,
      };
    case 'failed': {
      // Refused for its template or parameters: the next step would fail the same way.
      const rejected = /^\d{1,9}$/.test(outcome.code) && refusedForTemplate(Number(outcome.code));
      return {
        state: 'failed',
        errorCode: outcome.code,
        errorMessage: outcome.message,
        history: {
          kind: 'failed',
          reason: rejected ? 'template_rejected' : outcome.code === '131049' ? 'provider_marketing_limit' : null,
          detail: `${outcome.code}: ${outcome.message}`,
        },
        ...(rejected ? { stopJourney: 'template_rejected' as const } : {}),
      };
    }
    case 'opted_out':
      return {
        state: 'failed',
        errorCode: outcome.code,
        errorMessage: outcome.message,
        history: { kind: 'failed', reason: 'opted_out', detail: `${outcome.code}: ${outcome.message}` },
        withdraw: ['marketing'],
      };
    case 'unknown':
      return {
        state: 'unknown',
        errorMessage: outcome.message,
        history: { kind: 'unknown', reason: null, detail: `${outcome.message}; never resent, settled by webhook` },
      };
  }
}
