import { MAX_BODY_BYTES, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '@cartback/shared';
import express, { type RequestHandler } from 'express';
import { ApiError } from './errors';

/** The raw body of a signed request, as the signature covers it. */
export function rawBody(req: express.Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * Reads the raw body (at most 1 MiB, else 413; uncompressed, else 415) and checks the X-Cartback signature over
 * "<timestamp>.<METHOD>.<path with query>.<body>" (401 on any mismatch or a stale timestamp).
 */
export function signedRoute(secret: () => string, nowSeconds: () => number): RequestHandler[] {
  const check: RequestHandler = (req, _res, next) => {
    const verdict = verifySignature(
      secret(),
      { timestamp: req.get(TIMESTAMP_HEADER), signature: req.get(SIGNATURE_HEADER) },
      { method: req.method, path: req.originalUrl, body: rawBody(req) },
      nowSeconds(),
    );
    if (!verdict.ok) throw new ApiError(401, verdict.code, verdict.message);
    next();
  };
  return [express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false }), check];
}

/** Parses a signed request's body as JSON (400 when it is not). */
export function jsonBody(req: express.Request): unknown {
  try {
    return JSON.parse(rawBody(req).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
}
