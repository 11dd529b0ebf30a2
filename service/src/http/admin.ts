import { Router, type Request } from 'express';
import type { Db } from '../db/database';
import { isLaneName, LANE_NAMES, validateLaneSettings, type LaneName } from '../engine/lanes';
import { withTransaction } from '../db/transaction';
import { parseDurationMs } from '../engine/lanes';
import { DEFAULT_RECONCILE_WINDOW } from '../reconcile/decide';
import { reconcileCounts } from '../reconcile/sql/counts';
import { openPauses } from '../monitors/sql';
import { replanLane } from '../recovery/replan';
import { isSendingPaused, laneSettings, saveLaneSettings, setSendingPaused } from '../recovery/settings';
import { incentiveStatus } from '../coupons/budget';
import { writeBudget } from '../recovery/sql/coupons';
import { readStoreProfile, type StoreDefaults } from '../store/profile';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/** The lane named in the path, or 404 `unknown_lane`. */
function laneParam(req: Request): LaneName {
  const lane = req.params.lane;
  if (!isLaneName(lane)) {
    throw new ApiError(404, 'unknown_lane', `No lane named ${String(lane)}; lanes: ${LANE_NAMES.join(', ')}`, 'lane');
  }
  return lane;
}

/**
 * The plugin's admin screens (every route signed, 401 and nothing changed otherwise):
 *
 * - `GET /v1/admin/lanes/:lane` → `{lane, settings}`: the stored settings, or the defaults;
 * - `PUT /v1/admin/lanes/:lane` with the complete settings object → validated (400
 *   `invalid_settings` naming the field, nothing stored), stored, and replied as `{lane, settings}`;
 *   in the same transaction the lane's active journeys are re-planned under the new settings (a
 *   step deferred under the old quiet hours is decided again at once, changed delays apply);
 * - `POST /v1/admin/pause`, `POST /v1/admin/resume` → `{paused}`: the store-wide kill switch;
 * - `GET /v1/admin/status` → `{paused, monitor_paused: [target], lanes: [{lane, enabled}], messages: {unknown, lost,
 *   reconcile_window_seconds}}`: sends whose answer was lost and that still wait for a status
 *   webhook, and those that got none within the reconcile window (never resent);
 * - `GET /v1/admin/incentives` → `{monthly_budget, currency, month, committed, redeemed, remaining}`
 *   (coupons/budget.ts); `PUT /v1/admin/incentives` with `{monthly_budget}` (an integer ≥ 0, minor
 *   units; 400 `invalid_settings` naming `monthly_budget`) → the same, with the new budget.
 */
export function adminRouter(deps: {
  db: Db;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
  reconcileWindowMs?: number;
  /** The store's settings until the plugin reports them (time zone, currency). */
  storeDefaults?: StoreDefaults;
}): Router {
  const router = Router();
  const signed = signedRoute(deps.secret, deps.nowSeconds);
  const now = () => new Date(deps.nowSeconds() * 1000);

  router.get('/v1/admin/lanes/:lane', ...signed, async (req, res) => {
    const lane = laneParam(req);
    res.set('Cache-Control', 'no-store').json({ lane, settings: await laneSettings(deps.db, deps.storeId, lane) });
  });

  router.put('/v1/admin/lanes/:lane', ...signed, async (req, res) => {
    const lane = laneParam(req);
    const validation = validateLaneSettings(lane, jsonBody(req));
    // An empty path means the body as a whole (not an object): no field to name.
    if (!validation.ok) throw new ApiError(400, 'invalid_settings', validation.message, validation.path || undefined);
    const at = now();
    await withTransaction(deps.db, async (trx) => {
      await saveLaneSettings(trx, deps.storeId, lane, validation.value, at);
      await replanLane(trx, deps.storeId, lane, validation.value, at);
    });
    res.json({ lane, settings: validation.value });
  });

  for (const [path, paused] of [
    ['/v1/admin/pause', true],
    ['/v1/admin/resume', false],
  ] as const) {
    router.post(path, ...signed, async (_req, res) => {
      await setSendingPaused(deps.db, deps.storeId, paused, now());
      res.json({ paused });
    });
  }

  router.get('/v1/admin/status', ...signed, async (_req, res) => {
    const paused = await isSendingPaused(deps.db, deps.storeId);
    const lanes = [];
    for (const lane of LANE_NAMES) {
      lanes.push({ lane, enabled: (await laneSettings(deps.db, deps.storeId, lane)).enabled });
    }
    const counts = await reconcileCounts(deps.db, deps.storeId);
    const windowMs = deps.reconcileWindowMs ?? parseDurationMs(DEFAULT_RECONCILE_WINDOW);
    const monitorPaused = [...(await openPauses(deps.db, deps.storeId))].sort();
    res.set('Cache-Control', 'no-store').json({
      paused,
      monitor_paused: monitorPaused,
      lanes,
      messages: { ...counts, reconcile_window_seconds: Math.round(windowMs / 1000) },
    });
  });

  const incentives = async () => {
    const defaults = deps.storeDefaults ?? { timeZone: 'UTC', currency: 'USD', locale: 'en' };
    const profile = await readStoreProfile(deps.db, deps.storeId, defaults);
    return incentiveStatus(deps.db, deps.storeId, profile, now());
  };

  router.get('/v1/admin/incentives', ...signed, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await incentives());
  });

  router.put('/v1/admin/incentives', ...signed, async (req, res) => {
    const body = jsonBody(req) as { monthly_budget?: unknown } | null;
    const budget = body && typeof body === 'object' ? body.monthly_budget : undefined;
    if (typeof budget !== 'number' || !Number.isSafeInteger(budget) || budget < 0) {
      throw new ApiError(
        400,
        'invalid_settings',
        'monthly_budget must be an integer ≥ 0 (minor units of the store currency)',
        'monthly_budget',
      );
    }
    await writeBudget(deps.db, deps.storeId, budget, now());
    res.json(await incentives());
  });

  return router;
}
