import type { RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from '../logger';
import { loggableError } from './errors';

export interface RateLimits {
  /** Requests a minute one client may make to `/r/:code`; 0 is no limit. */
  linkPerMinute: number;
  /** Requests a minute one client (in practice the store's server) may make to `/v1/restore/:token`; 0 is no limit. */
  restorePerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { linkPerMinute: 60, restorePerMinute: 600 };

const WINDOW_MS = 60_000;

/** Seconds until the client may try again, as the limiter has set it in Retry-After. */
export function retryAfterSeconds(res: Response): number {
  return Number(res.getHeader('Retry-After')) || 60;
}

/**
 * At most `perMinute` requests a minute from one client (a fixed window from its first request,
 * counted in this process's memory), keyed by `req.ip`: the TCP peer, unless Express's `trust
 * proxy` says whose X-Forwarded-For to believe. Over it, `refuse` answers (429; Retry-After and
 * the RateLimit headers are set). Null for 0, no limit.
 */
export function perClientLimit(
  perMinute: number,
  logger: Logger,
  refuse: (res: Response, retryAfter: number) => void,
): RequestHandler | null {
  if (perMinute <= 0) return null;
  const report = (level: 'warn' | 'error') => (error: unknown) =>
    logger[level]({ err: loggableError(error) }, 'rate limiter misconfigured');
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Ignoring X-Forwarded-For unless TRUST_PROXY is set is deliberate, not a mistake to warn of.
    validate: { xForwardedForHeader: false, forwardedHeader: false },
    logger: { warn: report('warn'), error: report('error') },
    handler: (_req, res) => refuse(res, retryAfterSeconds(res)),
  });
}
