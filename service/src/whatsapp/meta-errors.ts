/**
 * What to do about a WhatsApp Cloud API (Graph) error code: retry later, give up, or treat the
 * recipient as opted out. Pure; the codes and their meaning are in the handbook's
 * reference/whatsapp.md, section 3. Always decide on `error.code`, never on the HTTP status alone
 * (sources disagree on the statuses Meta uses).
 *
 * Decisions taken here where the reference leaves room:
 *
 * - **131048 (spam rate limit) → failed.** The number is restricted because earlier messages were
 *   blocked or reported. Sending again soon fails again and deepens the quality problem; sending
 *   much later would deliver a stale nudge. The message is recorded as failed; the scope
 *   (`number`) tells the dispatcher to slow down or pause the number and alert an admin.
 * - **190 (access token invalid or expired) → retry, with a long backoff.** It is a
 *   misconfiguration, but it rejects the request before anything is sent, so waiting is safe, and
 *   marking every due message failed would silently throw away every nudge of the outage while an
 *   admin renews the token. The scope (`account`) tells the dispatcher to pause all sending and
 *   alert rather than hammer Graph; send-time policies are checked again when it resumes.
 * - **131049 (Meta's per-user marketing limit) → failed** with the code kept in the outcome, so
 *   the engine can record `provider_marketing_limit` and hold marketing to that user for
 *   {@link MARKETING_LIMIT_COOLDOWN_MS}.
 * - **Unknown codes → failed**, except when the HTTP status is 429 (throttled: retry).
 * - Template-management rate limits (4, 80007, 80008; only seen when listing templates) → retry.
 */

export type MetaErrorClass = 'retry' | 'failed' | 'opted_out';

/**
 * How far an error reaches, so the dispatcher can react beyond the one message:
 * `message` — only this message; `recipient` — this user; `template` — this template (mark it
 * unavailable); `number` — the sending number (slow its token bucket or pause it); `account` — all
 * sending (credentials or configuration).
 */
export type MetaErrorScope = 'message' | 'recipient' | 'template' | 'number' | 'account';

interface Backoff {
  /** Delay before the first retry. */
  baseMs: number;
  /** The delay doubles on each attempt up to this. */
  maxMs: number;
}

interface Rule {
  kind: MetaErrorClass;
  scope: MetaErrorScope;
  backoff?: Backoff;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Meta asks for at least 24 h before another marketing message to a user who hit 131049. */
export const MARKETING_LIMIT_COOLDOWN_MS = 24 * HOUR;

const TRANSIENT: Backoff = { baseMs: 5 * SECOND, maxMs: 5 * MINUTE };
const failed = (scope: MetaErrorScope): Rule => ({ kind: 'failed', scope });

const RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  // Throughput per number exceeded: retry, and pace the number (the bucket is too fast).
  [130429, { kind: 'retry', scope: 'number', backoff: { baseMs: 2 * SECOND, maxMs: MINUTE } }],
  // Pair rate limit, about 1 message per 6 s to one user (bursts borrow from later quota).
  [131056, { kind: 'retry', scope: 'recipient', backoff: { baseMs: 6 * SECOND, maxMs: 5 * MINUTE } }],
  // Throughput upgrade in progress: usually a few minutes.
  [131057, { kind: 'retry', scope: 'number', backoff: { baseMs: MINUTE, maxMs: 10 * MINUTE } }],
  // Transient: unknown error, service error, "something went wrong", service unavailable.
  [1, { kind: 'retry', scope: 'message', backoff: TRANSIENT }],
  [2, { kind: 'retry', scope: 'message', backoff: TRANSIENT }],
  [131000, { kind: 'retry', scope: 'message', backoff: TRANSIENT }],
  [131016, { kind: 'retry', scope: 'message', backoff: TRANSIENT }],
  // Access token invalid or expired (see the decision above).
  [190, { kind: 'retry', scope: 'account', backoff: { baseMs: 5 * MINUTE, maxMs: 30 * MINUTE } }],
  // Template-management call rate limits (hourly quotas).
  [4, { kind: 'retry', scope: 'account', backoff: { baseMs: MINUTE, maxMs: HOUR } }],
  [80007, { kind: 'retry', scope: 'account', backoff: { baseMs: MINUTE, maxMs: HOUR } }],
  [80008, { kind: 'retry', scope: 'account', backoff: { baseMs: MINUTE, maxMs: HOUR } }],
  // The user stopped marketing messages in the app: never retry, opt the contact out.
  [131050, { kind: 'opted_out', scope: 'recipient' }],
  // Recipient-level refusals.
  [131026, failed('recipient')], // undeliverable (not on WhatsApp, old app, terms not accepted)
  [131047, failed('recipient')], // outside the 24 h service window (free-form text)
  [131049, failed('recipient')], // Meta's per-user marketing limit (see above)
  [130472, failed('recipient')], // the user is in a Meta experiment group
  // The number's quality restricts sending (see above).
  [131048, failed('number')],
  // Template problems: parameter count, missing language, translated text too long, format
  // character policy, parameter format, paused, disabled, parameter text with newlines or too
  // many spaces.
  [132000, failed('template')],
  [132001, failed('template')],
  [132005, failed('template')],
  [132007, failed('template')],
  [132012, failed('template')],
  [132015, failed('template')],
  [132016, failed('template')],
  [132018, failed('template')],
  // Invalid request: a bug in what we sent, not worth repeating.
  [100, failed('message')],
  [131008, failed('message')],
  [131009, failed('message')],
]);

/**
 * Codes that refuse a send for its template or its parameters: the next step of the journey
 * would be built the same way and fail the same way, so the journey stops (`template_rejected`).
 */
const REFUSED_FOR_TEMPLATE: ReadonlySet<number> = new Set([
  132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 100, 131008, 131009,
]);

/** True when WhatsApp refused the send for its template or parameters (see above). */
export function refusedForTemplate(code: number): boolean {
  return REFUSED_FOR_TEMPLATE.has(code);
}

/** Every code this module knows, for tests and documentation. */
export const KNOWN_META_ERROR_CODES: readonly number[] = [...RULES.keys()];

/**
 * Classifies a Graph `error.code`. `httpStatus` only matters for codes this module does not
 * know: a 429 is retried, anything else fails.
 */
export function classifyMetaError(code: number, httpStatus?: number): MetaErrorClass {
  const rule = RULES.get(code);
  if (rule) return rule.kind;
  return httpStatus === 429 ? 'retry' : 'failed';
}

/** How far the error reaches (see {@link MetaErrorScope}); unknown codes concern the message only. */
export function metaErrorScope(code: number): MetaErrorScope {
  return RULES.get(code)?.scope ?? 'message';
}

/** Backoff for a retryable error without a rule of its own (an unknown code with HTTP 429). */
const DEFAULT_BACKOFF: Backoff = TRANSIENT;

/**
 * A suggested wait before retry number `attempt` (1 for the first retry) of a message that got
 * `code`: exponential from the code's base, capped. Deterministic: the dispatcher adds jitter if
 * it wants. `undefined` for codes that must not be retried.
 */
export function suggestedBackoffMs(code: number, attempt = 1, httpStatus?: number): number | undefined {
  if (classifyMetaError(code, httpStatus) !== 'retry') return undefined;
  const { baseMs, maxMs } = RULES.get(code)?.backoff ?? DEFAULT_BACKOFF;
  const n = Number.isFinite(attempt) ? Math.min(Math.max(Math.floor(attempt), 1), 32) : 1;
  return Math.min(baseMs * 2 ** (n - 1), maxMs);
}
