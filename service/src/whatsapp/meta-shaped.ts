/**
 * What every provider speaking the Cloud API's message bodies shares (Meta direct and 360dialog):
 * one HTTP exchange turned into an {@link Exchange} (never an exception), the mapping of an
 * exchange to a {@link SendOutcome}, Graph error bodies, and the template and text bodies.
 *
 * Whether a failed request may already have been sent decides between `retry` and `unknown`
 * (DESIGN.md, "Sending without duplicates": better a missed nudge than a double one). Each
 * request goes through a small transport that notes when its connection is established (TCP
 * connected, and for HTTPS the TLS handshake done): before that point not a byte of the request
 * has left, so a failure — refused, unresolvable host, TLS failure, or a timeout while still
 * connecting — is `retry`; after it, a timeout or a reset is `unknown`. A 5xx without a Graph
 * error body is `unknown` too (a gateway may have passed the request on); a 429 without one is
 * `retry`. The timeout covers the whole exchange, connecting included. Axios errors (which hold
 * the request configuration and so the credentials) never leave this module.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { AxiosInstance } from 'axios';
import { maskPhone } from '@cartback/shared';
import { isRecord, recordAt, recordsAt, stringAt, textAt, type JsonRecord } from './json';
import { classifyMetaError, suggestedBackoffMs } from './meta-errors';
import { WhatsAppApiError, type OutgoingTemplate, type SendOutcome } from './provider';
import type { MessageRequest } from './types';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Cloud API limit on `biz_opaque_callback_data`. */
export const MAX_CALLBACK_DATA = 512;
/** Cloud API limit on a text message's body. */
export const MAX_TEXT_BODY = 4096;
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Masks every run of 7+ digits (a phone number, possibly) and bounds the length. */
export function redact(text: string): string {
  return text
    .replace(/\+?\d{7,15}/g, (digits) => maskPhone(digits.startsWith('+') ? digits : `+${digits}`))
    .slice(0, 500);
}

/** How one HTTP exchange ended, before it means anything for a message. */
export type Exchange =
  | { kind: 'response'; status: number; data: unknown; retryAfterMs?: number }
  /** Nothing left this machine: safe to repeat. */
  | { kind: 'not_sent'; code: string; message: string }
  /** The request may have reached the provider. */
  | { kind: 'maybe_sent'; code: string; message: string }
  /** The request could not even be formed (bad URL, bad option): repeating will not help. */
  | { kind: 'broken'; code: string; message: string };

/** Error codes that prove the connection was never made, whatever the transport. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const BROKEN_CODES = new Set(['ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_NOT_SUPPORT']);

interface Tracker {
  /** Our transport made the request (false when a custom axios adapter bypasses it). */
  used: boolean;
  /** The connection was up (TLS handshake done for HTTPS): the request may have left. */
  connected: boolean;
}

/** An axios `transport` (same contract as node:http's `request`) that fills in `tracker`. */
function trackingTransport(tracker: Tracker) {
  return {
    request(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest {
      tracker.used = true;
      const req = (options.protocol === 'https:' ? https : http).request(options, callback);
      req.once('socket', (socket: Socket) => {
        const up = () => {
          tracker.connected = true;
        };
        if (req.reusedSocket) up();
        else if (socket instanceof TLSSocket) socket.once('secureConnect', up);
        else if (socket.connecting) socket.once('connect', up);
        else up();
      });
      return req;
    },
  };
}

function errorCode(error: unknown): string | undefined {
  if (!isRecord(error)) return undefined;
  const cause = recordAt(error, 'cause');
  return stringAt(error, 'code') ?? (cause && stringAt(cause, 'code'));
}

function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : 'request failed');
}

/** Seconds or an HTTP date, as in a Retry-After header; bounded to an hour. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - nowMs;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

interface GraphError {
  code: number;
  message: string;
}

/** The Graph error in a response body (`{"error": {"code": …}}`), if there is one. */
export function graphError(data: unknown): GraphError | undefined {
  const error = isRecord(data) ? recordAt(data, 'error') : undefined;
  if (!error) return undefined;
  const raw = error.code;
  const code = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(code)) return undefined;
  const details = recordAt(error, 'error_data');
  const parts = [textAt(error, 'message') || `Graph error ${code}`];
  const detail = details && stringAt(details, 'details');
  if (detail) parts.push(`— ${detail}`);
  const trace = stringAt(error, 'fbtrace_id');
  if (trace) parts.push(`(fbtrace_id ${trace})`);
  return { code, message: redact(parts.join(' ')) };
}

/** Maps one exchange of a send to its outcome. */
export function sendOutcome(ex: Exchange): SendOutcome {
  switch (ex.kind) {
    case 'not_sent':
      return { kind: 'retry', code: ex.code, message: ex.message };
    case 'maybe_sent':
      return { kind: 'unknown', message: `${ex.code}: ${ex.message}` };
    case 'broken':
      return { kind: 'failed', code: ex.code, message: ex.message };
    case 'response':
      break;
  }
  const { status, data, retryAfterMs } = ex;
  const graph = graphError(data);
  if (graph) {
    const kind = classifyMetaError(graph.code, status);
    const code = String(graph.code);
    if (kind !== 'retry') return { kind, code, message: graph.message };
    const wait = Math.max(suggestedBackoffMs(graph.code, 1, status) ?? 0, retryAfterMs ?? 0);
    return { kind, code, message: graph.message, retryAfterMs: wait };
  }
  if (status >= 200 && status < 300) {
    const id = isRecord(data) ? recordsAt(data, 'messages')[0] : undefined;
    const providerMessageId = id && stringAt(id, 'id');
    if (providerMessageId) return { kind: 'accepted', providerMessageId };
    return { kind: 'unknown', message: `HTTP ${status} without a message id` };
  }
  if (status === 429) {
    const outcome: SendOutcome = { kind: 'retry', code: 'http_429', message: 'HTTP 429 without a Graph error' };
    return retryAfterMs === undefined ? outcome : { ...outcome, retryAfterMs };
  }
  if (status >= 500) return { kind: 'unknown', message: `HTTP ${status} without a Graph error` };
  return { kind: 'failed', code: `http_${status}`, message: `HTTP ${status} without a Graph error` };
}

/** A local refusal for a recipient or callback data the Cloud API would reject anyway. */
function checkAddressing(to: string, callbackData: string): SendOutcome | undefined {
  if (!/^\+[1-9]\d{6,14}$/.test(to)) {
    return { kind: 'failed', code: 'invalid_recipient', message: 'the recipient is not an E.164 number' };
  }
  if (callbackData.length > MAX_CALLBACK_DATA) {
    return { kind: 'failed', code: 'invalid_callback_data', message: `callback data over ${MAX_CALLBACK_DATA} chars` };
  }
  return undefined;
}

/** What an {@link Exchange} needs: the HTTP client, the whole-exchange timeout, the auth headers. */
export interface ExchangeOptions {
  client: AxiosInstance;
  timeoutMs: number;
  /** The provider's authentication (such as `Authorization: Bearer …` or `D360-API-KEY`). */
  auth: Record<string, string>;
}

export type Exchanger = (method: 'GET' | 'POST', url: string, body?: MessageRequest) => Promise<Exchange>;

/** One request at a time; every failure becomes an {@link Exchange}, never an exception. */
export function createExchanger({ client, timeoutMs, auth }: ExchangeOptions): Exchanger {
  return async function exchange(method, url, body) {
    const tracker: Tracker = { used: false, connected: false };
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // Aborts the request, and also ends the wait should a custom axios adapter ignore the signal.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Error('timeout'));
      }, timeoutMs);
    });
    try {
      const request = client.request<unknown>({
        method,
        url,
        data: body,
        headers: {
          ...auth,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        signal: controller.signal,
        transport: trackingTransport(tracker),
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        validateStatus: () => true,
      });
      const res = await Promise.race([request, deadline]);
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
      return { kind: 'response', status: res.status, data: res.data, retryAfterMs };
    } catch (error) {
      const code = errorCode(error);
      const neverLeft = tracker.used && !tracker.connected;
      if (timedOut) {
        const message = `no ${neverLeft ? 'connection' : 'answer'} within ${timeoutMs} ms`;
        return { kind: neverLeft ? 'not_sent' : 'maybe_sent', code: 'timeout', message };
      }
      if (code && BROKEN_CODES.has(code)) return { kind: 'broken', code, message: errorMessage(error) };
      if ((code && NOT_SENT_CODES.has(code)) || neverLeft) {
        return { kind: 'not_sent', code: code ?? 'network', message: errorMessage(error) };
      }
      return { kind: 'maybe_sent', code: code ?? 'network', message: errorMessage(error) };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Sends Cloud-API-shaped template and text messages to `messagesUrl` through `exchange`. */
export function messageSender(exchange: Exchanger, messagesUrl: string) {
  const send = async (body: MessageRequest): Promise<SendOutcome> =>
    sendOutcome(await exchange('POST', messagesUrl, body));
  return {
    async sendTemplate(msg: OutgoingTemplate): Promise<SendOutcome> {
      const refused = checkAddressing(msg.to, msg.callbackData);
      if (refused) return refused;
      return send({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: msg.to,
        type: 'template',
        biz_opaque_callback_data: msg.callbackData,
        template: { name: msg.template, language: { code: msg.language }, components: msg.components },
      });
    },

    async sendText(to: string, body: string, callbackData: string): Promise<SendOutcome> {
      const refused = checkAddressing(to, callbackData);
      if (refused) return refused;
      if (body.length === 0 || body.length > MAX_TEXT_BODY) {
        return { kind: 'failed', code: 'invalid_text', message: `the text must have 1 to ${MAX_TEXT_BODY} chars` };
      }
      return send({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'text',
        biz_opaque_callback_data: callbackData,
        text: { body },
      });
    },
  };
}

/**
 * The body of a template list answer, holding an array at `listField` ("data" for Graph,
 * "waba_templates" for 360dialog). Throws a {@link WhatsAppApiError} for a transport failure, a
 * Graph error, or an answer that is not a list; retryable when asking again may work.
 */
export function templateListBody(ex: Exchange, listField: string): JsonRecord {
  if (ex.kind !== 'response') throw new WhatsAppApiError(ex.message, ex.code, ex.kind !== 'broken');
  const graph = graphError(ex.data);
  if (graph) {
    const retryable = classifyMetaError(graph.code, ex.status) === 'retry';
    throw new WhatsAppApiError(graph.message, String(graph.code), retryable, ex.status);
  }
  if (ex.status < 200 || ex.status >= 300 || !isRecord(ex.data) || !Array.isArray(ex.data[listField])) {
    const retryable = ex.status === 429 || ex.status >= 500;
    throw new WhatsAppApiError(
      `unexpected template list (HTTP ${ex.status})`,
      `http_${ex.status}`,
      retryable,
      ex.status,
    );
  }
  return ex.data;
}
