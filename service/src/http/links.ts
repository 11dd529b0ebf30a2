import { Router, type Response } from 'express';
import type { Db } from '../db/database';
import { recordClick, restorePayload } from '../links/store';
import { ApiError } from './errors';
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
 * `GET /r/:code` (the shopper's phone): records the click and redirects to the store's restore
 * URL with a fresh token. `GET /v1/restore/:token` (the plugin, signed): the cart behind it.
 */
export function linksRouter(deps: {
  db: Db;
  storeId: number;
  storeUrl: () => string | undefined;
  secret: () => string;
  nowSeconds: () => number;
}): Router {
  const router = Router();
  router.get('/r/:code', async (req, res) => {
    const storeUrl = deps.storeUrl();
    const outcome = await recordClick(deps.db, req.params.code, new Date());
    if (outcome.kind === 'restore' && storeUrl) {
      const target = new URL(storeUrl);
      target.searchParams.set('cartback_restore', outcome.token);
      res.set('Cache-Control', 'no-store').redirect(302, target.toString());
      return;
    }
    if (outcome.kind === 'expired') {
      friendlyPage(res, 410, 'This link has expired', 'Your cart may still be waiting in the shop.', storeUrl);
      return;
    }
    if (outcome.kind === 'restore') {
      friendlyPage(res, 503, 'The shop cannot be reached from here yet', 'Please try again later.', storeUrl);
      return;
    }
    friendlyPage(res, 404, 'This link is not valid', 'It may have been mistyped or cut short.', storeUrl);
  });
  router.get('/v1/restore/:token', ...signedRoute(deps.secret, deps.nowSeconds), async (req, res) => {
    const payload = await restorePayload(deps.db, deps.storeId, String(req.params.token), new Date());
    if (!payload) throw new ApiError(404, 'restore_token_invalid', 'The restore token is unknown or has expired');
    res.set('Cache-Control', 'no-store').json(payload);
  });
  return router;
}
