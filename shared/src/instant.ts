/**
 * Strict RFC 3339 instants, as event times must be: `2026-11-21T10:15:00Z`, optionally with a
 * fraction of up to 9 digits, and `Z` or an offset written `±HH:MM`. The date must exist in the
 * calendar (no 2026-02-30, no 24:00, no leap second), which `Date.parse` does not check.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Event times are accepted from 2000-01-01T00:00:00Z … */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);
/** … up to a day after now (a store's clock may run ahead; later times are clamped to now on ingest). */
export const MAX_EVENT_TIME_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Milliseconds since the epoch of a strict RFC 3339 instant, or undefined for anything else. */
export function parseInstant(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Set field by field (Date.UTC would read years 0–99 as 1900–1999), then read back: a date
  // that does not exist (2026-02-30, 24:00, a leap second) rolls over and no longer matches.
  const back = new Date(0);
  back.setUTCFullYear(year, month - 1, day);
  back.setUTCHours(hour, minute, second, 0);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const local = back.getTime();
  const fraction = Number(`0.${m[7] ?? '0'}`) * 1000;
  if (m[8] === 'Z') return local + Math.floor(fraction);
  const [offsetHours, offsetMinutes] = [Number(m[10]), Number(m[11])];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return local - offset + Math.floor(fraction);
}

/** Whether an event time is a real instant within [2000-01-01, now + 1 day]. */
export function eventTimeProblem(text: string, nowMs: number): 'format' | 'range' | null {
  const at = parseInstant(text);
  if (at === undefined) return 'format';
  return at < EARLIEST_EVENT_TIME || at > nowMs + MAX_EVENT_TIME_AHEAD_MS ? 'range' : null;
}
