import { sql } from 'kysely';
import { Router } from 'express';
import type { Db } from '../db/database';
import { pendingMigrations } from '../db/migrate';
import type { Metrics } from '../metrics';
import { sendError } from './errors';

/** Liveness, readiness (database reachable, schema current) and Prometheus metrics. */
export function healthRouter(deps: { db: Db; metrics: Metrics }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
    } catch {
      sendError(res, 503, 'database_unreachable', 'The database cannot be reached');
      return;
    }
    const pending = await pendingMigrations(deps.db);
    if (pending.length > 0) {
      sendError(res, 503, 'migrations_pending', `Migrations not applied yet: ${pending.join(', ')}`);
      return;
    }
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
