import { Router, type Request } from 'express';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { eraseReport } from '../privacy/erase-report';
import { erasePersonalData, exportPersonalData } from '../privacy/personal-data';
import { validatePrivacyRequest, type PrivacyRequest } from '../privacy/request';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/** The person named in the body, or 400 `invalid_request` naming the field. */
function privacyRequest(req: Request): PrivacyRequest {
  const validation = validatePrivacyRequest(jsonBody(req));
  if (!validation.ok) throw new ApiError(400, 'invalid_request', validation.message, validation.path || undefined);
  return validation.value;
}

/**
 * The plugin's personal-data exporter and eraser (WordPress privacy tools), signed like every
 * admin route (401 and nothing changed otherwise). Body: `{"email"?, "phone"?}`, at least one.
 *
 * - `POST /v1/admin/privacy/export` → `{items: [{group_id, group_label, item_id, data: [{name, value}]}]}`,
 *   WordPress's exporter items as they are (empty when nobody matches);
 * - `POST /v1/admin/privacy/erase` → `{items_removed, items_retained, messages}`, WordPress's eraser reply.
 *
 * Neither the body nor anything found is logged: only what an erasure counted.
 */
export function privacyRouter(deps: {
  db: Db;
  logger: Logger;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
}): Router {
  const router = Router();
  const signed = signedRoute(deps.secret, deps.nowSeconds);

  router.post('/v1/admin/privacy/export', ...signed, async (req, res) => {
    const items = await exportPersonalData(deps.db, deps.storeId, privacyRequest(req));
    res.set('Cache-Control', 'no-store').json({ items });
  });

  router.post('/v1/admin/privacy/erase', ...signed, async (req, res) => {
    const request = privacyRequest(req);
    const counts = await erasePersonalData(deps.db, deps.storeId, request, new Date(deps.nowSeconds() * 1000));
    deps.logger.info({ counts }, 'privacy erasure');
    res.set('Cache-Control', 'no-store').json(eraseReport(counts));
  });

  return router;
}
