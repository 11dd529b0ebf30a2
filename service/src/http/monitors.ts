import { Router } from 'express';
import type { Db } from '../db/database';
import { isLaneName, LANE_NAMES } from '../engine/lanes';
import { validateThresholds } from '../monitors/decide';
import { weeklyIncremental, weeklySummary } from '../monitors/summary';
import { dashboardSummary } from '../measure/dashboard';
import { refreshRollups } from '../measure/sql/rollup';
import { REQUEST_WAIT_SECONDS } from '../measure/sql/rollup-scheduler';
import { readStoreView } from '../measure/store-view';
import type { StoreDefaults } from '../store/profile';
import { openPauses, readThresholds, recentEvents, resumeTarget, saveThresholds } from '../monitors/sql';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/**
 * The monitors' admin routes (signed like every admin route; 401 and nothing changed otherwise):
 *
 * - `GET /v1/admin/monitors` → `{paused: [target], active: [event], recent: [event], thresholds}`:
 *   what a monitor has paused now (a lane, or `all`), the firings still open, the last 20
 *   firings (each `{id, monitor, target, reason, figures, detail, fired_at, active, resumed_at,
 *   resumed_by}`) and the thresholds in force;
 * - `PUT /v1/admin/monitors/settings` with some or all thresholds → validated (400
 *   `invalid_thresholds` naming the field, nothing stored), stored whole, replied `{thresholds}`;
 * - `POST /v1/admin/monitors/resume` `{target: lane | "all", by?: string}` → `{resumed, paused}`:
 *   clears the pause and records who resumed it and when (404 `not_paused` when it was not);
 * - `GET /v1/admin/summary/weekly` → the weekly summary (monitors/summary.ts).
 */
export function monitorsRouter(deps: {
  db: Db;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
  /** The store's settings until the plugin reports them (the summary's currency and locale). */
  storeDefaults?: StoreDefaults;
}): Router {
  const router = Router();
  const signed = signedRoute(deps.secret, deps.nowSeconds);
  const now = () => new Date(deps.nowSeconds() * 1000);

  router.get('/v1/admin/monitors', ...signed, async (_req, res) => {
    const recent = await recentEvents(deps.db, deps.storeId, 20);
    const paused = await openPauses(deps.db, deps.storeId);
    res.set('Cache-Control', 'no-store').json({
      paused: [...paused].sort(),
      active: recent.filter((e) => e.active),
      recent,
      thresholds: await readThresholds(deps.db, deps.storeId),
    });
  });

  router.put('/v1/admin/monitors/settings', ...signed, async (req, res) => {
    const checked = validateThresholds(jsonBody(req));
    if (!checked.ok) throw new ApiError(400, 'invalid_thresholds', checked.message, checked.field || undefined);
    await saveThresholds(deps.db, deps.storeId, checked.value, now());
    res.json({ thresholds: checked.value });
  });

  router.post('/v1/admin/monitors/resume', ...signed, async (req, res) => {
    const body = jsonBody(req);
    const record =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (!record) throw new ApiError(400, 'invalid_request', 'The body must be a JSON object {target}');
    const target = record.target;
    if (target !== 'all' && !isLaneName(target)) {
      throw new ApiError(400, 'invalid_request', `target must be "all" or a lane: ${LANE_NAMES.join(', ')}`, 'target');
    }
    const by = record.by === undefined ? 'admin' : record.by;
    if (typeof by !== 'string' || by.length === 0 || by.length > 128) {
      throw new ApiError(400, 'invalid_request', 'by must be a name of 1 to 128 characters', 'by');
    }
    const resumed = await resumeTarget(deps.db, deps.storeId, target, by, now());
    if (!resumed) throw new ApiError(404, 'not_paused', `No monitor has paused ${target}`, 'target');
    res.json({ resumed: target, paused: [...(await openPauses(deps.db, deps.storeId))].sort() });
  });

  router.get('/v1/admin/summary/weekly', ...signed, async (_req, res) => {
    const at = now();
    const week = await weeklySummary(deps.db, deps.storeId, at);
    // The holdout lift over the same 7 days, as the dashboard measures it (its roll-ups refreshed).
    await refreshRollups(deps.db, deps.storeId, at, REQUEST_WAIT_SECONDS);
    const view = await readStoreView(deps.db, deps.storeId, deps.storeDefaults);
    const lift = await dashboardSummary(deps.db, view, new Date(week.from), at, 'day');
    res
      .set('Cache-Control', 'no-store')
      .json({ ...week, incremental: weeklyIncremental(lift.headline.incremental_revenue, view) });
  });

  return router;
}
