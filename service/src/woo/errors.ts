import { isAxiosError } from 'axios';

/**
 * What can go wrong talking to the store's REST API, as two typed errors:
 *
 * - WooError: the store answered and refused, in WordPress's error shape
 *   `{code, message, data: {status}}` (such as 401 `woocommerce_rest_authentication_error`, 404
 *   `woocommerce_rest_shop_coupon_invalid_id`, 400 `rest_invalid_param`);
 * - WooUnreachableError: no usable answer (timeout, network, or a reply that is not the API's:
 *   a proxy's 502 page, a login page, JSON of the wrong shape).
 *
 * Neither keeps the underlying axios error: it carries the request's URL (with the consumer key in
 * OAuth's query over http) and its Basic credentials, and these errors end up in logs.
 */

export class WooError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WooError';
  }
}

export type UnreachableReason = 'timeout' | 'network' | 'bad_response';

export class WooUnreachableError extends Error {
  constructor(
    readonly reason: UnreachableReason,
    message: string,
    /** The HTTP status when there was one (a 502 from a proxy). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WooUnreachableError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

/** The error a non-2xx reply means: WordPress's error shape makes a WooError, anything else is no answer. */
export function errorFromReply(status: number, body: unknown): WooError | WooUnreachableError {
  const b = body as { code?: unknown; message?: unknown } | null;
  if (b && typeof b === 'object' && typeof b.code === 'string' && b.code !== '') {
    const message = typeof b.message === 'string' ? b.message.slice(0, 500) : b.code;
    return new WooError(status, b.code.slice(0, 100), message);
  }
  return new WooUnreachableError('bad_response', `The store answered ${status} without a REST API error`, status);
}

/** Any failure of a request, as one of the two typed errors (never carrying the request itself). */
export function toWooError(error: unknown): WooError | WooUnreachableError {
  if (error instanceof WooError || error instanceof WooUnreachableError) return error;
  if (isAxiosError(error)) {
    if (error.response) return errorFromReply(error.response.status, error.response.data);
    const code = error.code ?? '';
    if (TIMEOUT_CODES.has(code)) return new WooUnreachableError('timeout', 'The store did not answer in time');
    if (NETWORK_CODES.has(code)) return new WooUnreachableError('network', `The store could not be reached (${code})`);
    return new WooUnreachableError('network', `The request to the store failed (${code || 'no code'})`);
  }
  return new WooUnreachableError('network', 'The request to the store failed');
}
