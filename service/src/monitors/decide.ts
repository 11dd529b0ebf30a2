/**
 * The monitors (issue 12, part 4): pure verdicts on plain figures, so a lane is paused before
 * Meta pauses the template or the number. The pass (monitors/pass.ts) gathers the figures per
 * lane, calls `decideMonitors`, and applies the verdicts that fire; nothing here reads a clock
 * or the database.
 *
 * THE ORDER OF CHECKS (part of the API: verdicts come back in this order, and the pass applies
 * the first that fires for a target, recording it as the pause's reason):
 *
 *  1. number_quality   (target `all`)  the number's quality webhook says FLAGGED, RED or
 *                                      DOWNGRADE: every lane stops (Meta lowers the messaging
 *                                      limit of a number that keeps sending on low quality)
 *  2. template_status  (each lane)     a template the lane uses was PAUSED, DISABLED or
 *                                      REJECTED (message_template_status_update), or its
 *                                      category changed (template_category_update)
 *  3. opt_out_rate     (each lane)     opt-outs / sends over the lane's last sends
 *                                      (`optOutWindowSends`, at most 7 days back) ≥ `optOutRate`,
 *                                      only once there are at least `optOutMinSends` sends
 *  4. read_rate        (each lane)     read / delivered in the recent window
 *                                      < `readRateRatio` × the same ratio over the 7-day baseline,
 *                                      only with ≥ `readMinSends` delivered in the window and in
 *                                      the baseline
 *  5. failure_rate     (each lane)     failed / attempted in the recent window ≥ `failureRatio` ×
 *                                      the baseline's rate AND ≥ `failureRate` (so a baseline of
 *                                      0.1 % does not make 0.3 % an alarm), only with ≥
 *                                      `failureMinSends` attempts in the window
 *
 * Minimum volumes keep a quiet store from firing on noise: below them the verdict is
 * `low_volume`, never a pause. A condition that holds for a target already paused by a monitor
 * does not fire again (`already_paused`): one firing, one record, one email.
 */

export const MONITORS = ['number_quality', 'template_status', 'opt_out_rate', 'read_rate', 'failure_rate'] as const;
export type MonitorName = (typeof MONITORS)[number];

/** What a verdict says; the firing ones name the problem, the others why nothing fired. */
export type MonitorReason =
  | 'number_quality_low'
  | 'template_paused'
  | 'template_category_changed'
  | 'opt_out_rate_high'
  | 'read_rate_dropped'
  | 'failure_rate_spiking'
  | 'ok'
  | 'low_volume'
  | 'already_paused';

export interface MonitorThresholds {
  /** Opt-outs per send over the last sends that fires (0.02 = 2 %). */
  optOutRate: number;
  /** How many of the lane's last sends the opt-out rate is taken over. */
  optOutWindowSends: number;
  /** Fewer sends than this in that window: no verdict. */
  optOutMinSends: number;
  /** Fires when the window's read rate is below this share of the 7-day baseline's. */
  readRateRatio: number;
  /** Delivered messages needed in the window (and in the baseline) for a verdict. */
  readMinSends: number;
  /** Fires when the window's failure rate is at least this multiple of the baseline's … */
  failureRatio: number;
  /** … and at least this rate. */
  failureRate: number;
  /** Attempts needed in the window for a verdict. */
  failureMinSends: number;
}

export const DEFAULT_THRESHOLDS: MonitorThresholds = {
  optOutRate: 0.02,
  optOutWindowSends: 200,
  optOutMinSends: 200,
  readRateRatio: 0.7,
  readMinSends: 100,
  failureRatio: 3,
  failureRate: 0.1,
  failureMinSends: 50,
};

/** One lane's figures, as the pass counted them. */
export interface LaneFigures {
  lane: string;
  /** The lane's last sends (at most `optOutWindowSends`, 7 days back) and opt-outs after them. */
  optOut: { sends: number; optOuts: number };
  /** Delivered and read, in the recent window and in the 7-day baseline before it. */
  reads: { delivered: number; read: number; baselineDelivered: number; baselineRead: number };
  /** Attempted and failed, in the recent window and in the baseline. */
  failures: { attempted: number; failed: number; baselineAttempted: number; baselineFailed: number };
  /** The templates the lane sends (its steps'). */
  templates: readonly string[];
}

/** A template webhook not yet acted on. */
export interface TemplateSignal {
  template: string;
  language: string | null;
  /** `status`: message_template_status_update; `category`: template_category_update. */
  kind: 'status' | 'category';
  /** The new status (PAUSED, …) or the new category. */
  value: string;
  /** The category before, for `category`. */
  previous: string | null;
}

export interface MonitorInput {
  lanes: readonly LaneFigures[];
  templateSignals: readonly TemplateSignal[];
  /** The last phone_number_quality_update event not yet acted on (FLAGGED, UNFLAGGED, …), or null. */
  qualityEvent: string | null;
  /** Targets already paused by a monitor: `all` and/or lane names. */
  paused: ReadonlySet<string>;
  thresholds: MonitorThresholds;
}

export type Figures = Record<string, number | string>;

export interface MonitorVerdict {
  monitor: MonitorName;
  target: string;
  fire: boolean;
  reason: MonitorReason;
  figures: Figures;
  detail: string;
}

const BAD_QUALITY = new Set(['FLAGGED', 'RED', 'DOWNGRADE']);
const BAD_TEMPLATE_STATUS = new Set(['PAUSED', 'DISABLED', 'REJECTED']);

const pct = (rate: number): string => `${(Math.round(rate * 1000) / 10).toString()}%`;
const rate = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

function verdict(
  monitor: MonitorName,
  target: string,
  holds: boolean,
  reason: MonitorReason,
  figures: Figures,
  detail: string,
  paused: ReadonlySet<string>,
): MonitorVerdict {
  if (!holds) return { monitor, target, fire: false, reason: 'ok', figures, detail };
  if (paused.has(target) || paused.has('all'))
    return { monitor, target, fire: false, reason: 'already_paused', figures, detail };
  return { monitor, target, fire: true, reason, figures, detail };
}

function lowVolume(monitor: MonitorName, target: string, figures: Figures, detail: string): MonitorVerdict {
  return { monitor, target, fire: false, reason: 'low_volume', figures, detail };
}

function qualityVerdict(input: MonitorInput): MonitorVerdict {
  const event = input.qualityEvent?.toUpperCase() ?? null;
  const holds = event !== null && BAD_QUALITY.has(event);
  return verdict(
    'number_quality',
    'all',
    holds,
    'number_quality_low',
    { event: event ?? 'none' },
    holds
      ? `WhatsApp reports the number's quality as ${event}: all sending is paused before Meta lowers its limit.`
      : 'The number has no quality warning.',
    input.paused,
  );
}

function templateVerdict(input: MonitorInput, lane: LaneFigures): MonitorVerdict {
  const used = new Set(lane.templates);
  const hit = input.templateSignals.find(
    (s) => used.has(s.template) && (s.kind === 'category' || BAD_TEMPLATE_STATUS.has(s.value.toUpperCase())),
  );
  if (!hit) return verdict('template_status', lane.lane, false, 'ok', {}, 'Its templates are approved.', input.paused);
  const category = hit.kind === 'category';
  return verdict(
    'template_status',
    lane.lane,
    true,
    category ? 'template_category_changed' : 'template_paused',
    { template: hit.template, language: hit.language ?? '', value: hit.value, previous: hit.previous ?? '' },
    category
      ? `Meta re-categorised the template ${hit.template} from ${hit.previous ?? 'its category'} to ${hit.value}: the lane is paused until it is checked.`
      : `Meta marked the template ${hit.template} ${hit.value.toUpperCase()}: the lane is paused.`,
    input.paused,
  );
}

function optOutVerdict(input: MonitorInput, lane: LaneFigures): MonitorVerdict {
  const t = input.thresholds;
  const { sends, optOuts } = lane.optOut;
  const r = rate(optOuts, sends);
  const figures = { sends, opt_outs: optOuts, rate: r, threshold: t.optOutRate };
  const detail = `${optOuts} opt-outs over the last ${sends} sends (${pct(r)}; the limit is ${pct(t.optOutRate)}).`;
  if (sends < t.optOutMinSends) return lowVolume('opt_out_rate', lane.lane, figures, detail);
  return verdict('opt_out_rate', lane.lane, r >= t.optOutRate, 'opt_out_rate_high', figures, detail, input.paused);
}

function readVerdict(input: MonitorInput, lane: LaneFigures): MonitorVerdict {
  const t = input.thresholds;
  const { delivered, read, baselineDelivered, baselineRead } = lane.reads;
  const now = rate(read, delivered);
  const base = rate(baselineRead, baselineDelivered);
  const figures = { delivered, read, rate: now, baseline_delivered: baselineDelivered, baseline_rate: base };
  const detail = `Read rate ${pct(now)} of ${delivered} delivered, against ${pct(base)} over the 7 days before (the limit is ${pct(t.readRateRatio)} of it).`;
  if (delivered < t.readMinSends || baselineDelivered < t.readMinSends) {
    return lowVolume('read_rate', lane.lane, figures, detail);
  }
  return verdict(
    'read_rate',
    lane.lane,
    now < t.readRateRatio * base,
    'read_rate_dropped',
    figures,
    detail,
    input.paused,
  );
}

function failureVerdict(input: MonitorInput, lane: LaneFigures): MonitorVerdict {
  const t = input.thresholds;
  const { attempted, failed, baselineAttempted, baselineFailed } = lane.failures;
  const now = rate(failed, attempted);
  const base = rate(baselineFailed, baselineAttempted);
  const figures = { attempted, failed, rate: now, baseline_attempted: baselineAttempted, baseline_rate: base };
  const detail = `${failed} of ${attempted} sends failed (${pct(now)}), against ${pct(base)} over the 7 days before.`;
  if (attempted < t.failureMinSends) return lowVolume('failure_rate', lane.lane, figures, detail);
  const holds = now >= t.failureRate && now >= t.failureRatio * base;
  return verdict('failure_rate', lane.lane, holds, 'failure_rate_spiking', figures, detail, input.paused);
}

/**
 * Every monitor's verdict, in the check order above: the number first, then per lane (in the
 * order given) template, opt-outs, reads, failures. Within one pass a target fires at most once:
 * after the first firing verdict for a lane (or `all`), later ones for it are `already_paused`.
 */
export function decideMonitors(input: MonitorInput): MonitorVerdict[] {
  const paused = new Set(input.paused);
  const out: MonitorVerdict[] = [];
  const push = (v: MonitorVerdict): void => {
    const fire = v.fire && !paused.has(v.target) && !paused.has('all');
    out.push(fire || !v.fire ? v : { ...v, fire: false, reason: 'already_paused' });
    if (fire) paused.add(v.target);
  };
  push(qualityVerdict({ ...input, paused }));
  for (const lane of input.lanes) {
    const current = { ...input, paused };
    for (const check of [templateVerdict, optOutVerdict, readVerdict, failureVerdict]) push(check(current, lane));
  }
  return out;
}

/** The thresholds' valid ranges: each a number, rates in (0, 1], counts whole and ≥ 1. */
export function validateThresholds(
  value: unknown,
): { ok: true; value: MonitorThresholds } | { ok: false; field: string; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, field: '', message: 'The thresholds must be a JSON object' };
  }
  const given = value as Record<string, unknown>;
  const out: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULT_THRESHOLDS)) return { ok: false, field: key, message: `Unknown threshold ${key}` };
  }
  const kinds: Record<keyof MonitorThresholds, 'rate' | 'count' | 'ratio'> = {
    optOutRate: 'rate',
    optOutWindowSends: 'count',
    optOutMinSends: 'count',
    readRateRatio: 'rate',
    readMinSends: 'count',
    failureRatio: 'ratio',
    failureRate: 'rate',
    failureMinSends: 'count',
  };
  for (const [key, kind] of Object.entries(kinds)) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { ok: false, field: key, message: `${key} must be a number` };
    if (kind === 'rate' && (v <= 0 || v > 1))
      return { ok: false, field: key, message: `${key} must be above 0 and at most 1` };
    if (kind === 'count' && (!Number.isInteger(v) || v < 1 || v > 100_000)) {
      return { ok: false, field: key, message: `${key} must be a whole number from 1 to 100000` };
    }
    if (kind === 'ratio' && (v < 1 || v > 100))
      return { ok: false, field: key, message: `${key} must be from 1 to 100` };
    out[key] = v;
  }
  const thresholds = out as unknown as MonitorThresholds;
  if (thresholds.optOutMinSends > thresholds.optOutWindowSends) {
    return { ok: false, field: 'optOutMinSends', message: 'optOutMinSends cannot exceed optOutWindowSends' };
  }
  return { ok: true, value: thresholds };
}
