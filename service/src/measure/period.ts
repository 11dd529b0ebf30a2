import { DateTime } from 'luxon';

/**
 * Periods of the dashboard (day, week, month) in the store's time zone (luxon): the UTC instants
 * where each period of [from, to) begins, so that SQL can bucket rows with MariaDB's
 * `INTERVAL(x, b₀, b₁, …)` (the index of the last boundary ≤ x) without time-zone tables. Weeks
 * start on Monday (ISO 8601).
 */
export type Period = 'day' | 'week' | 'month';
export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

export interface Bucket {
  /** The period's first instant (UTC). */
  start: Date;
  /** The period in the store's zone: `2026-11-30` (day, week: its Monday) or `2026-11` (month). */
  label: string;
}

/** At most this many periods per query (a year of days, with room). */
export const MAX_BUCKETS = 400;

/** The periods that meet [from, to) in `zone`, oldest first; the first starts at or before `from`. */
export function buckets(from: Date, to: Date, period: Period, zone: string): Bucket[] {
  const unit = period === 'week' ? 'week' : period;
  let cursor = DateTime.fromJSDate(from, { zone }).startOf(unit);
  if (!cursor.isValid) cursor = DateTime.fromJSDate(from, { zone: 'UTC' }).startOf(unit);
  const out: Bucket[] = [];
  while (cursor.toMillis() < to.getTime() && out.length < MAX_BUCKETS) {
    out.push({
      start: cursor.toJSDate(),
      label: period === 'month' ? cursor.toFormat('yyyy-MM') : (cursor.toISODate() ?? ''),
    });
    cursor = cursor.plus({ [`${unit}s`]: 1 });
  }
  return out;
}

/** How many periods [from, to) spans, to refuse a request for too many before querying. */
export function bucketCount(from: Date, to: Date, period: Period): number {
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  return Math.ceil(period === 'day' ? days + 1 : period === 'week' ? days / 7 + 1 : days / 28 + 1);
}

/** Seconds since the epoch of each boundary, for `INTERVAL(TIMESTAMPDIFF(SECOND, '1970-01-01', col), …)`. */
export function boundarySeconds(list: readonly Bucket[]): number[] {
  return list.map((b) => Math.floor(b.start.getTime() / 1000));
}
