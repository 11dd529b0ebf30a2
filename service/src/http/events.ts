import { validateEventBatch, type EventBatchReply } from '@cartback/shared';
import { Router } from 'express';
import type { Db } from '../db/database';
import { ingestBatches } from '../ingest/ingest';
import { IngestQueue } from '../ingest/queue';
import type { Metrics } from '../metrics';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/** `POST /v1/events`: a signed batch of up to 500 store events, applied once, all or nothing. */
export function eventsRouter(deps: {
  db: Db;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
  metrics: Metrics;
}): Router {
  const router = Router();
  const queue = new IngestQueue((batches) => ingestBatches(deps.db, deps.storeId, batches));
  router.post('/v1/events', ...signedRoute(deps.secret, deps.nowSeconds), async (req, res) => {
    const validation = validateEventBatch(jsonBody(req), deps.nowSeconds() * 1000);
    if (!validation.ok) throw new ApiError(400, 'invalid_event', validation.message, validation.path);
    const result = await queue.submit(validation.value.events);
    for (const [type, n] of result.applied) deps.metrics.eventsApplied.inc({ type }, n);
    deps.metrics.eventsDuplicate.inc(result.duplicates);
    const reply: EventBatchReply = { accepted: result.accepted, duplicates: result.duplicates };
    res.json(reply);
  });
  return router;
}
