import { createHmac, timingSafeEqual } from 'node:crypto';

/** The window, either side of now, in which a signed request's timestamp is accepted. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const TIMESTAMP_HEADER = 'x-cartback-timestamp';
export const SIGNATURE_HEADER = 'x-cartback-signature';

export interface SignedRequest {
  /** Unix seconds, as sent in X-Cartback-Timestamp. */
  timestamp: number | string;
  method: string;
  /** Path with query string, exactly as requested ("/v1/events", "/v1/restore/abc?x=1"). */
  path: string;
  /** The raw body, byte for byte; empty for a GET. */
  body: string | Buffer;
}

function mac(secret: string, req: SignedRequest): Buffer {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${req.timestamp}.${req.method.toUpperCase()}.${req.path}.`);
  hmac.update(req.body);
  return hmac.digest();
}

/** The X-Cartback-Signature value for a request: `v1=<hex HMAC-SHA256>`. */
export function signRequest(secret: string, req: SignedRequest): string {
  return `v1=${mac(secret, req).toString('hex')}`;
}

/** Both headers for a request signed now (or at `nowSeconds`). */
export function signatureHeaders(
  secret: string,
  req: Omit<SignedRequest, 'timestamp'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'X-Cartback-Timestamp': String(nowSeconds),
    'X-Cartback-Signature': signRequest(secret, { ...req, timestamp: nowSeconds }),
  };
}

export type SignatureVerdict =
  { ok: true } | { ok: false; code: 'missing_signature' | 'stale_timestamp' | 'invalid_signature'; message: string };

/**
 * Checks a request's timestamp and signature. Pure: the caller passes the clock.
 * The comparison is constant-time; any malformed header is simply a mismatch.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  req: Omit<SignedRequest, 'timestamp'>,
  nowSeconds: number,
): SignatureVerdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) {
    return {
      ok: false,
      code: 'missing_signature',
      message: 'X-Cartback-Timestamp and X-Cartback-Signature headers are required',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `X-Cartback-Timestamp must be unix seconds within ${SIGNATURE_TOLERANCE_SECONDS} s of the server's clock`,
    };
  }
  const match = /^v1=([0-9a-f]{64})$/.exec(signature);
  const expected = mac(secret, { ...req, timestamp });
  if (!match || !timingSafeEqual(Buffer.from(match[1] as string, 'hex'), expected)) {
    return { ok: false, code: 'invalid_signature', message: 'X-Cartback-Signature does not match the request' };
  }
  return { ok: true };
}
