import { sql } from 'kysely';
import type { Db, Trx } from '../db/database';
import { LANE_NAMES, type LaneName } from '../engine/lanes';
import { laneSettings } from '../recovery/settings';
import {
  DEFAULT_THRESHOLDS,
  validateThresholds,
  type LaneFigures,
  type MonitorThresholds,
  type MonitorVerdict,
  type TemplateSignal,
} from './decide';

/**
 * The monitors' SQL edge: the figures per lane, the pending webhook signals, the open pauses,
 * the firings and resumptions, and the thresholds (a `settings` row). The windows:
 *
 * - opt-outs: the lane's last `optOutWindowSends` sends (handed to WhatsApp, 7 days back at
 *   most); a send counts as opted out when its contact withdrew consent from WhatsApp (STOP, the
 *   opt-out button, the app's preference) within 48 hours after it;
 * - reads: sends of 1 to 25 hours ago (each had an hour to be read) against those of the 7 days
 *   before; delivered = delivered or read;
 * - failures: sends attempted in the last 24 hours against the 7 days before.
 *
 * The recent windows (not the baselines) start no earlier than the target's last resumption, so
 * a resumed lane is judged on what it sent since, and is not paused again by the same figures.
 */

type Queryable = Db | Trx;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPT_OUT_SOURCES = ['whatsapp_stop', 'whatsapp_stop_button', 'whatsapp_preferences'];
const THRESHOLDS = 'monitor_thresholds';

export async function readThresholds(db: Queryable, storeId: number): Promise<MonitorThresholds> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('store_id', '=', storeId)
    .where('name', '=', THRESHOLDS)
    .executeTakeFirst();
  if (!row) return DEFAULT_THRESHOLDS;
  try {
    const checked = validateThresholds(JSON.parse(row.value));
    return checked.ok ? checked.value : DEFAULT_THRESHOLDS;
  } catch {
    return DEFAULT_THRESHOLDS;
  }
}

export async function saveThresholds(
  db: Queryable,
  storeId: number,
  value: MonitorThresholds,
  now: Date,
): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ store_id: storeId, name: THRESHOLDS, value: json, updated_at: now })
    .onDuplicateKeyUpdate({ value: json, updated_at: now })
    .execute();
}

/** Targets paused by a monitor now (lane names and/or `all`). */
export async function openPauses(db: Queryable, storeId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('monitor_events')
    .select('open_target')
    .where('store_id', '=', storeId)
    .where('open_target', 'is not', null)
    .execute();
  return new Set(rows.flatMap((r) => (r.open_target ? [r.open_target] : [])));
}

/** When each target was last resumed. */
async function lastResumed(db: Queryable, storeId: number): Promise<Map<string, Date>> {
  const rows = await db
    .selectFrom('monitor_events')
    .select(['target', (eb) => eb.fn.max('resumed_at').as('at')])
    .where('store_id', '=', storeId)
    .where('resumed_at', 'is not', null)
    .groupBy('target')
    .execute();
  return new Map(rows.flatMap((r) => (r.at ? [[r.target, new Date(r.at)] as const] : [])));
}

const n = (v: unknown): number => Number(v ?? 0);

/** At most `max` characters, never cutting a character in two (the columns hold characters). */
const cut = (text: string, max: number): string => Array.from(text).slice(0, max).join('');

async function laneFigures(
  db: Queryable,
  storeId: number,
  lane: LaneName,
  since: Date,
  thresholds: MonitorThresholds,
  now: Date,
): Promise<LaneFigures> {
  const t = now.getTime();
  const optFrom = new Date(Math.max(t - 7 * DAY, since.getTime()));
  const last = await sql<{ sends: string | number; opt_outs: string | number | null }>`
    SELECT COUNT(*) AS sends, SUM(EXISTS (
      SELECT 1 FROM consent_ledger c
      WHERE c.store_id = m.store_id AND c.contact_id = m.contact_id AND c.action = 'withdrawn'
        AND c.source IN (${sql.join(OPT_OUT_SOURCES)})
        AND c.recorded_at >= m.submitted_at AND c.recorded_at < m.submitted_at + INTERVAL 48 HOUR
    )) AS opt_outs
    FROM (
      SELECT store_id, contact_id, submitted_at FROM messages
      WHERE store_id = ${storeId} AND lane = ${lane} AND submitted_at IS NOT NULL
        AND submitted_at >= ${optFrom} AND submitted_at <= ${now}
      ORDER BY submitted_at DESC LIMIT ${thresholds.optOutWindowSends}
    ) m`.execute(db);
  const readTo = new Date(t - HOUR);
  const readFrom = new Date(Math.max(t - 25 * HOUR, since.getTime()));
  const readBase = new Date(t - 25 * HOUR - 7 * DAY);
  const reads = await sql<Record<string, string | number | null>>`
    SELECT
      SUM(submitted_at >= ${readFrom} AND (delivered_at IS NOT NULL OR read_at IS NOT NULL)) AS delivered,
      SUM(submitted_at >= ${readFrom} AND read_at IS NOT NULL) AS is_read,
      SUM(submitted_at < ${new Date(t - 25 * HOUR)} AND (delivered_at IS NOT NULL OR read_at IS NOT NULL)) AS base_delivered,
      SUM(submitted_at < ${new Date(t - 25 * HOUR)} AND read_at IS NOT NULL) AS base_read
    FROM messages
    WHERE store_id = ${storeId} AND lane = ${lane} AND submitted_at >= ${readBase} AND submitted_at < ${readTo}`.execute(
    db,
  );
  const failFrom = new Date(Math.max(t - DAY, since.getTime()));
  const failSplit = new Date(t - DAY);
  const fails = await sql<Record<string, string | number | null>>`
    SELECT
      SUM(attempted_at >= ${failFrom}) AS attempted,
      SUM(attempted_at >= ${failFrom} AND state = 'failed') AS failed,
      SUM(attempted_at < ${failSplit}) AS base_attempted,
      SUM(attempted_at < ${failSplit} AND state = 'failed') AS base_failed
    FROM messages
    WHERE store_id = ${storeId} AND lane = ${lane} AND attempted_at >= ${new Date(t - 8 * DAY)} AND attempted_at <= ${now}`.execute(
    db,
  );
  const settings = await laneSettings(db, storeId, lane);
  const r = reads.rows[0] ?? {};
  const f = fails.rows[0] ?? {};
  return {
    lane,
    optOut: { sends: n(last.rows[0]?.sends), optOuts: n(last.rows[0]?.opt_outs) },
    reads: {
      delivered: n(r.delivered),
      read: n(r.is_read),
      baselineDelivered: n(r.base_delivered),
      baselineRead: n(r.base_read),
    },
    failures: {
      attempted: n(f.attempted),
      failed: n(f.failed),
      baselineAttempted: n(f.base_attempted),
      baselineFailed: n(f.base_failed),
    },
    templates: settings.steps.flatMap((s) =>
      s.template_without_image ? [s.template, s.template_without_image] : [s.template],
    ),
  };
}

/** Every lane's figures at `now`. */
export async function allLaneFigures(
  db: Queryable,
  storeId: number,
  thresholds: MonitorThresholds,
  now: Date,
): Promise<LaneFigures[]> {
  const resumed = await lastResumed(db, storeId);
  const out: LaneFigures[] = [];
  for (const lane of LANE_NAMES) {
    const at = Math.max(resumed.get(lane)?.getTime() ?? 0, resumed.get('all')?.getTime() ?? 0);
    out.push(await laneFigures(db, storeId, lane, new Date(at), thresholds, now));
  }
  return out;
}

export interface PendingSignals {
  ids: number[];
  templates: TemplateSignal[];
  /** The newest quality event among them, or null. */
  quality: string | null;
}

export async function pendingSignals(db: Queryable, storeId: number): Promise<PendingSignals> {
  const rows = await db
    .selectFrom('monitor_signals')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('handled_at', 'is', null)
    .orderBy('id')
    .execute();
  const quality = rows.filter((r) => r.kind === 'quality').at(-1)?.value ?? null;
  return {
    ids: rows.map((r) => Number(r.id)),
    quality,
    templates: rows.flatMap((r) =>
      r.kind === 'quality' || !r.template
        ? []
        : [
            {
              template: r.template,
              language: r.language,
              kind: r.kind === 'template_status' ? 'status' : 'category',
              value: r.value,
              previous: r.previous,
            },
          ],
    ),
  };
}

export async function markHandled(db: Queryable, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('monitor_signals')
    .set({ handled_at: now })
    .where('id', 'in', [...ids])
    .execute();
}

export async function recordSignal(
  db: Queryable,
  signal: {
    storeId: number;
    kind: 'template_status' | 'template_category' | 'quality';
    template?: string;
    language?: string;
    value: string;
    previous?: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('monitor_signals')
    .values({
      store_id: signal.storeId,
      kind: signal.kind,
      template: signal.template === undefined ? null : cut(signal.template, 512),
      language: signal.language === undefined ? null : cut(signal.language, 32),
      value: cut(signal.value, 64),
      previous: signal.previous === undefined ? null : cut(signal.previous, 64),
      received_at: signal.at,
      handled_at: null,
    })
    .execute();
}

/** Records a firing and so pauses its target; false when the target was already paused (nothing written). */
export async function recordFiring(db: Queryable, storeId: number, v: MonitorVerdict, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('monitor_events')
    .ignore()
    .values({
      store_id: storeId,
      monitor: v.monitor,
      target: v.target,
      reason: v.reason,
      figures: JSON.stringify(v.figures),
      detail: v.detail,
      fired_at: now,
      open_target: v.target,
      resumed_at: null,
      resumed_by: null,
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Resumes a target paused by a monitor; false when it was not paused. */
export async function resumeTarget(
  db: Queryable,
  storeId: number,
  target: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('monitor_events')
    .set({ open_target: null, resumed_at: now, resumed_by: cut(by, 128) })
    .where('store_id', '=', storeId)
    .where('open_target', '=', target)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface MonitorEventRow {
  id: number;
  monitor: string;
  target: string;
  reason: string;
  figures: Record<string, unknown>;
  detail: string;
  fired_at: string;
  active: boolean;
  resumed_at: string | null;
  resumed_by: string | null;
}

/** The most recent firings, newest first. */
export async function recentEvents(db: Queryable, storeId: number, limit = 20): Promise<MonitorEventRow[]> {
  const rows = await db
    .selectFrom('monitor_events')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    monitor: r.monitor,
    target: r.target,
    reason: r.reason,
    figures: JSON.parse(r.figures) as Record<string, unknown>,
    detail: r.detail,
    fired_at: new Date(r.fired_at).toISOString(),
    active: r.open_target !== null,
    resumed_at: r.resumed_at ? new Date(r.resumed_at).toISOString() : null,
    resumed_by: r.resumed_by,
  }));
}
