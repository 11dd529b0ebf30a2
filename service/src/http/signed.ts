import { MAX_BODY_BYTES, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '@cartback/shared';
import express, { type RequestHandler } from 'express';
import { ApiError } from './errors';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth';

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

/**
 * Parses a JSON request body (400 when it is not JSON, or nests deeper than {@link MAX_JSON_DEPTH}
 * levels: then `path` names where, and nothing recursive has run on it). JSON.parse itself does
 * not recurse in V8.
 */
export function parseJsonBody(raw: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  const path = tooDeep(value);
  if (path !== null) {
    throw new ApiError(400, 'too_deep', `${path} is nested deeper than ${MAX_JSON_DEPTH} levels`, path);
  }
  return value;
}

/** Parses a signed request's body as JSON (400 when it is not, or is nested too deep). */
export function jsonBody(req: express.Request): unknown {
  return parseJsonBody(rawBody(req));
}
