/**
 * The Cloud API's webhooks, pure: the signature check, the GET verification handshake, and the
 * parsing of a delivery into flat {@link WebhookItem}s (handbook reference/whatsapp.md, section 2).
 *
 * `parseWebhook` never throws. It reads what it knows and skips the rest: unknown fields, change
 * kinds, message types Cartback does not handle as such, and items with a missing or malformed
 * field the item cannot do without (an id, a timestamp, a phone number). Phone numbers arrive as
 * digits without "+" (`from`, `wa_id`, `recipient_id`); items carry them in E.164 with "+".
 * Deliveries are retried for days and items may come out of order: the handler must deduplicate
 * (by message id and status) and never move a message's status backwards.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord, numberAt, recordAt, recordsAt, stringAt, textAt, type JsonRecord } from './json';
import type { MessageStatus } from './types';

export type WebhookItem =
  | {
      kind: 'status';
      providerMessageId: string;
      status: MessageStatus;
      at: Date;
      recipient: string;
      callbackData?: string;
      errors?: Array<{ code: number; title: string }>;
      /** Meta's `pricing` (per-message pricing since 2025-07-01): what it charged for the message. */
      pricing?: StatusPricing;
    }
  | { kind: 'inbound_text'; from: string; messageId: string; at: Date; text: string }
  | {
      kind: 'quick_reply';
      from: string;
      messageId: string;
      at: Date;
      payload: string;
      text: string;
      /** The wamid of our template whose button was pressed. */
      contextMessageId?: string;
    }
  /** A reply button or list row of an interactive message. */
  | { kind: 'interactive_reply'; from: string; messageId: string; at: Date; id: string; title: string }
  /**
   * Any other inbound message (image, audio, sticker, location, reaction, unsupported, …): the
   * user wrote to us, which opens the 24 h service window and may call for a person.
   */
  | { kind: 'inbound_other'; from: string; messageId: string; at: Date; type: string }
  /** The user stopped or resumed marketing messages in the app (`user_preferences`). */
  | { kind: 'preference'; from: string; at: Date; value: 'stop' | 'resume' }
  /** A template's review or quality status changed; `status` is Meta's event, upper case. */
  | { kind: 'template_status'; name: string; language?: string; status: string; reason?: string }
  /** Meta moved a template to another category (`template_category_update`), upper case. */
  | { kind: 'template_category'; name: string; language?: string; category: string; previous?: string }
  /**
   * The number's quality or messaging limit changed (`phone_number_quality_update`): `event` is
   * FLAGGED, UNFLAGGED, DOWNGRADE, UPGRADE, … upper case.
   */
  | { kind: 'number_quality'; event: string; currentLimit?: string };

/** A status's `pricing {billable, pricing_model, category, type}`; each part only when well formed. */
export interface StatusPricing {
  billable: boolean | null;
  model: string | null;
  category: string | null;
  type: string | null;
}

function parsePricing(raw: JsonRecord): StatusPricing | undefined {
  const pricing = recordAt(raw, 'pricing');
  if (!pricing) return undefined;
  const word = (key: string) => {
    const value = stringAt(pricing, key);
    return value !== undefined && /^[A-Za-z_]{1,40}$/.test(value) ? value.toLowerCase() : null;
  };
  const billable = typeof pricing.billable === 'boolean' ? pricing.billable : null;
  return { billable, model: word('pricing_model'), category: word('category'), type: word('type') };
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app
 * secret>` in constant time. False for a missing or malformed header, and for an empty secret.
 */
export function verifyHubSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!appSecret || typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The challenge Meta sends must be echoed as the raw body: accept only a plain token. */
const CHALLENGE = /^[A-Za-z0-9._~-]{1,256}$/;

function queryValue(query: JsonRecord, name: 'mode' | 'verify_token' | 'challenge'): string | undefined {
  // Express's simple parser gives "hub.mode"; a qs parser with allowDots gives { hub: { mode } }.
  const nested = recordAt(query, 'hub');
  const value = query[`hub.${name}`] ?? nested?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Constant-time string equality (the lengths do not leak either: both sides are hashed). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The header 360dialog is told to send (POST /v1/configs/webhook `headers`), holding WHATSAPP_WEBHOOK_SECRET. */
export const D360_SECRET_HEADER = 'X-Cartback-Webhook-Secret';

/**
 * A shared secret sent as a header (360dialog sends the headers set with its webhook URL), in
 * constant time. False for a missing header and for an unset secret.
 */
export function verifySharedSecret(secret: string | undefined, header: string | undefined): boolean {
  if (!secret || typeof header !== 'string') return false;
  return sameSecret(header, secret);
}

/**
 * The GET verification handshake: `hub.mode=subscribe`, `hub.verify_token` equal to ours, and a
 * `hub.challenge` to echo with 200 (as text/plain). Anything else is `{ ok: false }` (reply 403),
 * including an unset verify token.
 */
export function verifyChallenge(
  query: unknown,
  verifyToken: string | undefined,
): { ok: true; challenge: string } | { ok: false } {
  if (!verifyToken || !isRecord(query)) return { ok: false };
  const mode = queryValue(query, 'mode');
  const token = queryValue(query, 'verify_token');
  const challenge = queryValue(query, 'challenge');
  if (mode !== 'subscribe' || token === undefined || challenge === undefined) return { ok: false };
  if (!sameSecret(token, verifyToken) || !CHALLENGE.test(challenge)) return { ok: false };
  return { ok: true, challenge };
}

/** "919812345678" or "+919812345678" → "+919812345678"; anything else → undefined. */
export function toE164(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const digits = raw.startsWith('+') ? raw.slice(1) : raw;
  return /^[1-9]\d{5,14}$/.test(digits) ? `+${digits}` : undefined;
}

/** Unix seconds (a string or a number, as Meta sends either) → Date. */
export function fromUnixSeconds(raw: unknown): Date | undefined {
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const at = new Date(seconds * 1000);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const STATUSES: readonly MessageStatus[] = ['sent', 'delivered', 'read', 'failed', 'played'];

function parseStatus(raw: JsonRecord): WebhookItem | undefined {
  const providerMessageId = stringAt(raw, 'id');
  const status = STATUSES.find((s) => s === raw.status);
  const at = fromUnixSeconds(raw.timestamp);
  const recipient = toE164(raw.recipient_id);
  if (!providerMessageId || !status || !at || !recipient) return undefined;
  const item: WebhookItem = { kind: 'status', providerMessageId, status, at, recipient };
  const callbackData = stringAt(raw, 'biz_opaque_callback_data');
  if (callbackData !== undefined) item.callbackData = callbackData;
  const pricing = parsePricing(raw);
  if (pricing) item.pricing = pricing;
  if (Array.isArray(raw.errors)) {
    item.errors = recordsAt(raw, 'errors').flatMap((e) => {
      const code = numberAt(e, 'code');
      return code === undefined ? [] : [{ code, title: textAt(e, 'title') ?? textAt(e, 'message') ?? '' }];
    });
  }
  return item;
}

function parseMessage(raw: JsonRecord): WebhookItem | undefined {
  const from = toE164(raw.from);
  const messageId = stringAt(raw, 'id');
  const at = fromUnixSeconds(raw.timestamp);
  const type = stringAt(raw, 'type');
  if (!from || !messageId || !at || !type) return undefined;
  const base = { from, messageId, at };
  if (type === 'text') {
    const body = recordAt(raw, 'text');
    const text = body && textAt(body, 'body');
    return text === undefined ? undefined : { kind: 'inbound_text', ...base, text };
  }
  if (type === 'button') {
    const button = recordAt(raw, 'button');
    const payload = button && textAt(button, 'payload');
    if (!button || payload === undefined) return undefined;
    const item: WebhookItem = { kind: 'quick_reply', ...base, payload, text: textAt(button, 'text') ?? '' };
    const context = recordAt(raw, 'context');
    const contextMessageId = context && stringAt(context, 'id');
    if (contextMessageId) item.contextMessageId = contextMessageId;
    return item;
  }
  if (type === 'interactive') {
    const interactive = recordAt(raw, 'interactive');
    const reply = interactive && (recordAt(interactive, 'button_reply') ?? recordAt(interactive, 'list_reply'));
    const id = reply && stringAt(reply, 'id');
    if (!reply || !id) return undefined;
    return { kind: 'interactive_reply', ...base, id, title: textAt(reply, 'title') ?? '' };
  }
  return { kind: 'inbound_other', ...base, type };
}

function parsePreference(raw: JsonRecord): WebhookItem | undefined {
  const from = toE164(raw.wa_id);
  const at = fromUnixSeconds(raw.timestamp);
  const value = raw.value === 'stop' || raw.value === 'resume' ? raw.value : undefined;
  if (!from || !at || !value || raw.category !== 'marketing_messages') return undefined;
  return { kind: 'preference', from, at, value };
}

function parseTemplateStatus(value: JsonRecord): WebhookItem | undefined {
  const name = stringAt(value, 'message_template_name');
  const status = stringAt(value, 'event')?.toUpperCase();
  if (!name || !status) return undefined;
  const item: WebhookItem = { kind: 'template_status', name, status };
  const language = stringAt(value, 'message_template_language');
  if (language) item.language = language;
  const reason = stringAt(value, 'reason');
  if (reason) item.reason = reason;
  return item;
}

function parseTemplateCategory(value: JsonRecord): WebhookItem | undefined {
  const name = stringAt(value, 'message_template_name');
  const category = (stringAt(value, 'new_category') ?? stringAt(value, 'correct_category'))?.toUpperCase();
  if (!name || !category) return undefined;
  const item: WebhookItem = { kind: 'template_category', name, category };
  const language = stringAt(value, 'message_template_language');
  if (language) item.language = language;
  const previous = stringAt(value, 'previous_category')?.toUpperCase();
  if (previous) item.previous = previous;
  return item;
}

function parseNumberQuality(value: JsonRecord): WebhookItem | undefined {
  const event = stringAt(value, 'event')?.toUpperCase();
  if (!event) return undefined;
  const item: WebhookItem = { kind: 'number_quality', event };
  const currentLimit = stringAt(value, 'current_limit');
  if (currentLimit) item.currentLimit = currentLimit;
  return item;
}

function parseChange(field: string | undefined, value: JsonRecord): Array<WebhookItem | undefined> {
  switch (field) {
    case 'messages':
      return [...recordsAt(value, 'statuses').map(parseStatus), ...recordsAt(value, 'messages').map(parseMessage)];
    case 'user_preferences':
      return recordsAt(value, 'user_preferences').map(parsePreference);
    case 'message_template_status_update':
      return [parseTemplateStatus(value)];
    case 'template_category_update':
      return [parseTemplateCategory(value)];
    case 'phone_number_quality_update':
      return [parseNumberQuality(value)];
    default:
      return [];
  }
}

/**
 * Flattens a webhook delivery (`{object: "whatsapp_business_account", entry: [{changes: […]}]}`)
 * into items, in the order they appear (within a `messages` change: statuses first). Returns []
 * for anything that is not such an envelope.
 */
export function parseWebhook(envelope: unknown): WebhookItem[] {
  if (!isRecord(envelope) || envelope.object !== 'whatsapp_business_account') return [];
  const items: WebhookItem[] = [];
  for (const entry of recordsAt(envelope, 'entry')) {
    for (const change of recordsAt(entry, 'changes')) {
      const value = recordAt(change, 'value');
      if (!value) continue;
      for (const item of parseChange(stringAt(change, 'field'), value)) if (item) items.push(item);
    }
  }
  return items;
}
