import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { recordClick, restorePayload } from '../links/store';
import { safePayUrl } from '../links/subjects';
import type { Metrics } from '../metrics';
import { ApiError, isMalformedPath, loggableError, sendError } from './errors';
import { perClientLimit, type RateLimits } from './rate-limit';
import { signedRoute } from './signed';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A small page for a person on a phone, never a stack trace or a JSON error. */
function friendlyPage(res: Response, status: number, title: string, text: string, storeUrl: string | undefined): void {
  const link = storeUrl ? `<p><a href="${escapeHtml(storeUrl)}">Go to the shop</a></p>` : '';
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>` +
        `</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${link}</body></html>`,
    );
}

/**
 * The one answer for a code that is unknown, expired or malformed: the same status and the same
 * bytes, so that no one can tell a code that once existed from one that never did.
 */
const invalidLinkPage = (res: Response, storeUrl: string | undefined) =>
  friendlyPage(
    res,
    404,
    'This link is not valid',
    'It may have expired, or been mistyped or cut short. Your cart may still be waiting in the shop.',
    storeUrl,
  );

/**
 * Whatever goes wrong under `/r/` the shopper still gets a page, never JSON: a code that is not
 * validly percent-encoded (`/r/%ZZ`, `/r/abc%`, which the router cannot decode) is just a link
 * that is not valid; anything else is logged as the error it is and answered with a page that
 * asks to try again.
 */
function shopperErrorPage(deps: { logger: Logger; storeUrl: () => string | undefined }): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (isMalformedPath(error)) {
      invalidLinkPage(res, deps.storeUrl());
      return;
    }
    deps.logger.error({ err: loggableError(error), method: req.method, path: '/r/:code' }, 'request failed');
    friendlyPage(res, 503, 'Something went wrong here', 'Please try the link again in a minute.', deps.storeUrl());
  };
}

/**
 * `GET /r/:code` (the shopper's phone): counts the open and redirects to the store's restore URL
 * with the link's restore token — or, for an order's link, to the order's pay page. `GET /v1/restore/:token` (the plugin, signed): the cart behind
 * it. Each is limited per client (see RateLimits): over it, `/r/` answers a page, restore JSON.
 */
export function linksRouter(deps: {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  storeId: number;
  storeUrl: () => string | undefined;
  secret: () => string;
  nowSeconds: () => number;
  rateLimits: RateLimits;
}): Router {
  const router = Router();
  const linkLimit = perClientLimit(deps.rateLimits.linkPerMinute, deps.logger, (res) => {
    deps.metrics.rateLimited.inc({ route: '/r/:code' });
    friendlyPage(res, 429, 'Too many tries', 'Please wait a minute, then tap the link again.', deps.storeUrl());
  });
  const restoreLimit = perClientLimit(deps.rateLimits.restorePerMinute, deps.logger, (res, retryAfter) => {
    deps.metrics.rateLimited.inc({ route: '/v1/restore/:token' });
    sendError(res, 429, 'rate_limited', `Too many restore requests; try again in ${retryAfter} s`);
  });
  // Mounted on the prefix, so that every request under it counts, even one the router cannot decode.
  if (linkLimit) router.use('/r', linkLimit);
  if (restoreLimit) router.use('/v1/restore', restoreLimit);
  router.get('/r/:code', async (req, res) => {
    const storeUrl = deps.storeUrl();
    const outcome = await recordClick(deps.db, req.params.code, deps.secret(), new Date());
    deps.metrics.linkOpens.inc({ outcome: outcome.kind });
    if (outcome.kind === 'gone') {
      invalidLinkPage(res, storeUrl);
      return;
    }
    if (outcome.kind === 'pay') {
      // Payment recovery: the order's own pay page, only on the store's host (never an open redirect).
      const payUrl = safePayUrl(outcome.payUrl, storeUrl);
      if (payUrl) res.set('Cache-Control', 'no-store').redirect(302, payUrl);
      else
        friendlyPage(
          res,
          200,
          'Pay for your order in the shop',
          'This link cannot open the payment page just now. You can pay for your order from the link in your order email, or from My Account in the shop.',
          storeUrl,
        );
      return;
    }
    if (!storeUrl) {
      friendlyPage(res, 503, 'The shop cannot be reached from here yet', 'Please try again later.', storeUrl);
      return;
    }
    const target = new URL(storeUrl);
    target.searchParams.set('cartback_restore', outcome.token);
    res.set('Cache-Control', 'no-store').redirect(302, target.toString());
  });
  // A link cut short or run on (`/r/`, `/r/CODE/more`, `/r//CODE`) is still the shopper's: a page, not JSON.
  router.use('/r', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    invalidLinkPage(res, deps.storeUrl());
  });
  router.use('/r', shopperErrorPage(deps));
  router.get('/v1/restore/:token', ...signedRoute(deps.secret, deps.nowSeconds), async (req, res) => {
    // Unknown and expired tokens: one query either way, one answer.
    const payload = await restorePayload(deps.db, deps.storeId, String(req.params.token), new Date());
    if (!payload) throw new ApiError(404, 'restore_token_invalid', 'The restore token is unknown or has expired');
    res.set('Cache-Control', 'no-store').json(payload);
  });
  return router;
}
