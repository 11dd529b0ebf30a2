import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import type { FakeState } from './state';

/**
 * The fake's 360dialog mode (a test double of 360dialog's hosted Cloud API): `POST /messages`
 * with the `D360-API-KEY` header is answered as the Cloud API's `/{version}/{number}/messages`
 * (same bodies, same Graph errors), and `GET /v1/configs/templates` lists the templates in
 * 360dialog's shape (`waba_templates`, `offset`/`limit`, `total`). A missing or wrong key gets
 * 401 before anything else.
 */

export interface D360Options {
  /** The API key it accepts in `D360-API-KEY`. */
  apiKey: string;
  /** Sent with every webhook as the header the sidecar checks (what POST /v1/configs/webhook `headers` sets). */
  webhookHeaders: Record<string, string>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function keyMatches(req: Request, apiKey: string): boolean {
  return timingSafeEqual(digest(req.get('d360-api-key') ?? ''), digest(apiKey));
}

/** `graphPath` and `bearer` are where and how the Graph router takes the same send. */
export function d360Router(
  state: FakeState,
  options: D360Options,
  graph: { path: () => string; bearer: string },
): express.Router {
  const router = express.Router();
  const unauthorized = { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } };

  router.post('/messages', (req, res, next) => {
    if (!keyMatches(req, options.apiKey)) {
      res.status(401).json(unauthorized);
      return;
    }
    req.url = graph.path();
    req.headers.authorization = `Bearer ${graph.bearer}`;
    next();
  });

  router.get('/v1/configs/templates', (req, res) => {
    if (!keyMatches(req, options.apiKey)) {
      res.status(401).json(unauthorized);
      return;
    }
    const limit = req.query.limit === undefined ? 1000 : Number(req.query.limit);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
      res.status(400).json({ meta: { success: false, http_code: 400, developer_message: 'Invalid limit or offset' } });
      return;
    }
    const page = state.templates.slice(offset, offset + limit);
    res.json({
      count: page.length,
      filters: {},
      limit,
      offset,
      sort: ['id'],
      total: state.templates.length,
      waba_templates: page.map((t) => ({ ...t, namespace: 'fake_namespace' })),
    });
  });
  return router;
}
