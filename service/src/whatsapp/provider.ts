/**
 * The provider interface the dispatcher calls to send WhatsApp messages, whatever the provider
 * behind it (Meta's Cloud API directly today; 360dialog or Twilio later).
 *
 * Adapters never throw from the send methods and never log: every way a send can end is a
 * {@link SendOutcome}, and the dispatcher records it (DESIGN.md, "Sending without duplicates").
 */
import type { TemplateComponent, TemplateDefinition } from './types';

export interface OutgoingTemplate {
  /** The recipient in E.164, such as "+919812345678". */
  to: string;
  /** The approved template's name. */
  template: string;
  /** The template's language code, such as "en" or "en_US". */
  language: string;
  components: TemplateComponent[];
  /** Our message id (≤ 512 characters); the provider echoes it in this message's status webhooks. */
  callbackData: string;
}

/**
 * How a send ended. `code` is the provider's error code as a string (a Graph `error.code` such as
 * "131026"), or, when the provider never answered with one, a transport code such as
 * "ECONNREFUSED", "timeout" or "http_429". Messages never contain the access token or a full
 * phone number.
 *
 * What the dispatcher does with each:
 * - `accepted` — the provider took the message; statuses follow by webhook. `submitted`.
 * - `retry` — nothing was sent; send again after `retryAfterMs` (if given) or its own backoff.
 * - `failed` — nothing was sent and repeating will not help; record the code (131049 →
 *   `provider_marketing_limit`).
 * - `opted_out` — the user stopped marketing messages (131050): record the failure and opt the
 *   contact out of marketing.
 * - `unknown` — the request may have reached the provider (a timeout or a reset after it left, a
 *   5xx, an unreadable success): never resend automatically; the status webhook reconciles it
 *   through `callbackData`.
 */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'opted_out'; code: string; message: string }
  | { kind: 'unknown'; message: string };

export interface WhatsAppProvider {
  /** The provider's name as in WHATSAPP_PROVIDER ("cloud", …) and the webhook path. */
  readonly name: string;
  sendTemplate(msg: OutgoingTemplate): Promise<SendOutcome>;
  /**
   * A free-form text, for the short opt-out confirmation: allowed only inside the 24 h service
   * window the user's own message opened (else the provider fails it, 131047).
   */
  sendText(to: string, body: string, callbackData: string): Promise<SendOutcome>;
  /**
   * Every template of the account that Cartback can fill. Throws a {@link WhatsAppApiError} when
   * the provider cannot be asked or refuses; a list call is safe to repeat.
   */
  listTemplates(): Promise<TemplateDefinition[]>;
}

/** Thrown by {@link WhatsAppProvider.listTemplates}. Carries no request configuration or token. */
export class WhatsAppApiError extends Error {
  constructor(
    message: string,
    /** As in {@link SendOutcome}: a provider error code, or a transport code. */
    readonly code: string,
    /** True when asking again later may work (throttling, network, 5xx). */
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'WhatsAppApiError';
  }
}
