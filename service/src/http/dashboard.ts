import { Router, type Response } from 'express';
import type { Db } from '../db/database';
import { csvRecord, type CsvValue } from '../measure/csv';
import { dashboardFunnel, dashboardSummary } from '../measure/dashboard';
import { validateRateCard } from '../measure/rate-card';
import { MESSAGE_COLUMNS, messageRows, ORDER_COLUMNS, orderRows } from '../measure/sql/exports';
import { latestMessages } from '../measure/sql/latest-messages';
import { readRateCard, saveRateCard } from '../measure/sql/rate-card-store';
import { refreshRollups } from '../measure/sql/rollup';
import { REQUEST_WAIT_SECONDS } from '../measure/sql/rollup-scheduler';
import { contactTimeline, findContacts } from '../measure/sql/timeline';
import { readStoreView } from '../measure/store-view';
import type { StoreDefaults } from '../store/profile';
import { contactQuery, integer, lane, period, range } from './dashboard-query';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/**
 * The dashboard's signed routes (issue 12; the plugin's admin proxies them). Every answer is
 * `Cache-Control: no-store`; bad query parameters are 400 `invalid_query` naming the parameter.
 *
 * - `GET /v1/admin/dashboard/summary?from&to&period` — headline cards, per-lane figures and lift, revenue over time;
 * - `GET /v1/admin/dashboard/funnel?lane&period=day|week|month&from&to` — one lane per step and period;
 * - `GET /v1/admin/dashboard/messages?limit&before` — the newest messages, phones masked;
 * - `GET /v1/admin/contacts/timeline?q=<phone or email>` — a contact's facts, decisions and messages;
 * - `GET /v1/admin/export/messages.csv?from&to`, `GET /v1/admin/export/orders.csv?from&to` — streamed CSV;
 * - `GET /v1/admin/rate-card`, `PUT /v1/admin/rate-card` — message prices (measure/rate-card.ts).
 *
 * `from`/`to` default to the last 30 days; dates are `YYYY-MM-DD` (UTC midnight) or ISO 8601 times.
 */
export function dashboardRouter(deps: {
  db: Db;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
  storeDefaults?: StoreDefaults;
}): Router {
  const router = Router();
  const signed = signedRoute(deps.secret, deps.nowSeconds);
  const now = () => new Date(deps.nowSeconds() * 1000);
  const view = () => readStoreView(deps.db, deps.storeId, deps.storeDefaults);

  router.get('/v1/admin/dashboard/summary', ...signed, async (req, res) => {
    const { from, to } = range(req, now());
    const by = period(req, from, to);
    await refreshRollups(deps.db, deps.storeId, now(), REQUEST_WAIT_SECONDS);
    res.set('Cache-Control', 'no-store').json(await dashboardSummary(deps.db, await view(), from, to, by));
  });

  router.get('/v1/admin/dashboard/funnel', ...signed, async (req, res) => {
    const which = lane(req);
    const { from, to } = range(req, now());
    const by = period(req, from, to);
    await refreshRollups(deps.db, deps.storeId, now(), REQUEST_WAIT_SECONDS);
    res.set('Cache-Control', 'no-store').json(await dashboardFunnel(deps.db, await view(), which, from, to, by));
  });

  router.get('/v1/admin/dashboard/messages', ...signed, async (req, res) => {
    const limit = integer(req, 'limit', 1, 200) ?? 50;
    const before = integer(req, 'before', 1, Number.MAX_SAFE_INTEGER) ?? null;
    res.set('Cache-Control', 'no-store').json(await latestMessages(deps.db, deps.storeId, limit, before));
  });

  router.get('/v1/admin/contacts/timeline', ...signed, async (req, res) => {
    const q = contactQuery(req);
    const contacts = await findContacts(deps.db, deps.storeId, q);
    const out = [];
    for (const contact of contacts) {
      out.push({ ...contact, timeline: await contactTimeline(deps.db, deps.storeId, contact.id) });
    }
    res.set('Cache-Control', 'no-store').json({ contacts: out });
  });

  async function streamCsv(res: Response, name: string, columns: readonly string[], rows: AsyncGenerator<CsvValue[]>) {
    res.status(200);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
    try {
      res.write(csvRecord(columns));
      for await (const row of rows) {
        if (res.destroyed) break;
        if (!res.write(csvRecord(row))) {
          await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
      res.end();
    } catch (error) {
      // The header is out: the client must see a broken download, not a short file that looks whole.
      res.destroy();
      throw error;
    }
  }

  router.get('/v1/admin/export/messages.csv', ...signed, async (req, res) => {
    const { from, to } = range(req, now());
    await streamCsv(res, 'cartback-messages.csv', MESSAGE_COLUMNS, messageRows(deps.db, deps.storeId, from, to));
  });

  router.get('/v1/admin/export/orders.csv', ...signed, async (req, res) => {
    const { from, to } = range(req, now());
    await streamCsv(res, 'cartback-orders.csv', ORDER_COLUMNS, orderRows(deps.db, deps.storeId, from, to));
  });

  router.get('/v1/admin/rate-card', ...signed, async (_req, res) => {
    const { card, source } = await readRateCard(deps.db, deps.storeId);
    res.set('Cache-Control', 'no-store').json({ rate_card: card, source });
  });

  router.put('/v1/admin/rate-card', ...signed, async (req, res) => {
    const check = validateRateCard(jsonBody(req));
    if (!check.ok) throw new ApiError(400, 'invalid_rate_card', check.message, check.path || undefined);
    await saveRateCard(deps.db, deps.storeId, check.value, now());
    res.json({ rate_card: check.value, source: 'admin' });
  });

  return router;
}
