import { createHmac } from 'node:crypto';
import axios from 'axios';
import type { Logger } from '../logger';
import type { InboundMessage, StatusUpdate, UserPreference, WebhookEnvelope } from '../whatsapp/types';

/**
 * Webhooks from the fake WhatsApp Cloud API (a test double): the envelopes Meta sends
 * (reference/whatsapp.md §2) and their signed delivery, with a few retries.
 */

export interface Business {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

type Change = WebhookEnvelope['entry'][number]['changes'][number];

function envelope(business: Business, field: Change['field'], value: Change['value']): WebhookEnvelope {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field,
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function statusEnvelope(business: Business, status: StatusUpdate): WebhookEnvelope {
  return envelope(business, 'messages', { statuses: [status] });
}

export function inboundEnvelope(business: Business, name: string, message: InboundMessage): WebhookEnvelope {
  return envelope(business, 'messages', {
    contacts: [{ profile: { name }, wa_id: message.from }],
    messages: [message],
  });
}

export function preferenceEnvelope(business: Business, name: string, preference: UserPreference): WebhookEnvelope {
  return envelope(business, 'user_preferences', {
    contacts: [{ profile: { name }, wa_id: preference.wa_id }],
    user_preferences: [preference],
  });
}

/** `X-Hub-Signature-256`'s value: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export function hubSignature(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export interface Delivery {
  /** True when the receiver answered 2xx. */
  delivered: boolean;
  /** The receiver's last HTTP status (null when it could not be reached, or no URL is set). */
  status: number | null;
  attempts: number;
}

export interface WebhookSenderOptions {
  /** Read at each delivery, so a test may point the fake elsewhere while it runs. */
  url: () => string | undefined;
  /** Signs each body (`X-Hub-Signature-256`), as Meta does; without one nothing is signed. */
  appSecret?: string;
  /** Sent with each delivery (360dialog sends the headers set with its webhook URL). */
  headers?: Record<string, string>;
  logger: Logger;
  /** Aborts waits and requests in flight (the fake is closing). */
  signal: AbortSignal;
  /** Attempts in all (default 4), with a backoff doubling from `backoffMs` (default 100). */
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

export type WebhookSender = (body: WebhookEnvelope, what: string) => Promise<Delivery>;

/** Resolves after `ms`, or early with false when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort);
  });
}

/**
 * A sender that POSTs the envelope (signed with the app secret, if given) and retries a failure (no answer,
 * or not 2xx). It never throws: the outcome is in the returned Delivery.
 */
export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 100;
  const log = options.logger;
  return async (body, what) => {
    const url = options.url();
    if (!url) {
      log.debug({ what }, 'fake WhatsApp (test double): no webhook URL, webhook not sent');
      return { delivered: false, status: null, attempts: 0 };
    }
    const raw = JSON.stringify(body);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'facebookexternalua (cartback fake WhatsApp Cloud API, a test double)',
      ...(options.appSecret !== undefined ? { 'X-Hub-Signature-256': hubSignature(options.appSecret, raw) } : {}),
      ...options.headers,
    };
    let status: number | null = null;
    let attempt = 0;
    while (attempt < attempts) {
      if (attempt > 0 && !(await pause(backoffMs * 2 ** (attempt - 1), options.signal))) break;
      attempt += 1;
      try {
        const res = await axios.post(url, raw, {
          headers,
          timeout: options.timeoutMs ?? 5000,
          signal: options.signal,
          maxRedirects: 0,
          transformRequest: [(data: string) => data],
          responseType: 'text',
          validateStatus: () => true,
        });
        status = res.status;
        if (status >= 200 && status < 300) {
          log.debug({ what, status, attempt }, 'fake WhatsApp (test double): webhook delivered');
          return { delivered: true, status, attempts: attempt };
        }
        log.warn({ what, status, attempt }, 'fake WhatsApp (test double): webhook refused');
      } catch (error) {
        status = null;
        if (options.signal.aborted) break;
        log.warn({ what, attempt, err: (error as Error).message }, 'fake WhatsApp (test double): webhook failed');
      }
    }
    return { delivered: false, status, attempts: attempt };
  };
}
