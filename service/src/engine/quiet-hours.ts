import { DateTime } from 'luxon';

/**
 * Quiet hours: local times of day, in the store's time zone (an IANA name, or a fixed UTC offset
 * such as `+05:30`, as WordPress reports a store set to one), when no message goes out. A step
 * that falls due inside them is deferred to their end (DESIGN.md: quiet hours defer, they never
 * stop or skip). Pure: a function of `now`, the zone and the window.
 *
 * The rules, all in terms of the local wall clock of the zone at an instant:
 *
 * - The window is `[start, end)`: a clock reading of exactly `start` is quiet, exactly `end` is not.
 * - `start < end` is a same-day window (13:00–15:00); `start > end` runs across midnight
 *   (21:00–09:00: quiet from 21:00 until 09:00 the next morning); `start == end` means no quiet
 *   hours at all (rather than all day: a lane that must not send is paused instead).
 * - Daylight saving time. Whether an instant is quiet depends only on what the local clock reads
 *   then. The end of quiet hours is the first instant after `now` at which the local clock reads
 *   `end` or later on the day quiet hours end:
 *   - when `end` does not exist that day (spring forward, e.g. 02:30 in New York on 2026-03-08),
 *     that is the moment the clocks jump (03:00 EDT), the first moment the clock shows ≥ 02:30;
 *   - when `end` occurs twice (fall back, e.g. 01:30 in New York on 2026-11-01), it is the first
 *     occurrence after `now` (01:30 EDT, or 01:30 EST when `now` is already in the repeated hour).
 *   A consequence, accepted: a window edge inside the repeated hour is crossed twice that night.
 *   A night across a transition is an hour shorter or longer in real time (21:00–09:00 lasts
 *   11 h on the spring-forward night and 13 h on the fall-back night), as a shopper lives it.
 */

export interface QuietWindow {
  /** Local time `HH:MM` (24-hour clock) at which quiet hours begin. */
  start: string;
  /** Local time `HH:MM` at which they end (the first moment that is no longer quiet). */
  end: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Milliseconds after midnight of a `HH:MM` time; throws a RangeError for anything else. */
export function parseTimeOfDay(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`Time of day ${JSON.stringify(value)} must be HH:MM (24-hour clock)`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

/**
 * The zone as luxon names it: an IANA name as it is, a fixed offset `+05:30` / `-03:00` (what
 * WordPress's `wp_timezone_string()` gives for a store set to an offset) as `UTC+05:30`.
 */
export function luxonZone(zone: string): string {
  return /^[+-](0\d|1[0-4]):[0-5]\d$/.test(zone) ? `UTC${zone}` : zone;
}

/** The zone's UTC offset at an instant, in milliseconds. Throws a RangeError for an unknown zone. */
function offsetMs(instant: number, zone: string): number {
  const dt = DateTime.fromMillis(instant, { zone: luxonZone(zone) });
  if (!dt.isValid) throw new RangeError(`Unknown time zone ${JSON.stringify(zone)}`);
  return dt.offset * MINUTE_MS;
}

/**
 * The wall clock at an instant, as "naive" milliseconds: the local date and time written as if
 * they were UTC. `day` is the naive midnight of the local date, `timeOfDay` the time since then.
 */
function wallClock(instant: number, zone: string): { day: number; timeOfDay: number } {
  const naive = instant + offsetMs(instant, zone);
  const day = Math.floor(naive / DAY_MS) * DAY_MS;
  return { day, timeOfDay: naive - day };
}

/**
 * The first instant after `after` at which the zone's wall clock reads `naive` (a local date and
 * time as naive milliseconds) or, when that reading is skipped by a spring-forward jump, the
 * moment of the jump.
 */
function firstInstantAtOrAfter(naive: number, zone: string, after: number): number {
  // The instant is within ±14 h of `naive`; sample the offsets in force around it.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((shift) => offsetMs(naive + shift, zone)))];
  const exact = offsets
    .map((offset) => ({ offset, instant: naive - offset }))
    .filter(({ offset, instant }) => offsetMs(instant, zone) === offset && instant > after)
    .map(({ instant }) => instant);
  if (exact.length > 0) return Math.min(...exact);

  // No instant shows that reading: it lies in a spring-forward gap. Find the jump, which lies
  // between the reading taken with the largest offset (still before the jump) and the smallest.
  let before = naive - Math.max(...offsets);
  let jumped = naive - Math.min(...offsets);
  const offsetBefore = offsetMs(before, zone);
  while (jumped - before > 1) {
    const mid = Math.floor((before + jumped) / 2);
    if (offsetMs(mid, zone) === offsetBefore) before = mid;
    else jumped = mid;
  }
  return jumped;
}

/**
 * Null when `now` is outside quiet hours in `zone`; otherwise the instant they end, when a deferred
 * message may go. Throws a RangeError for an unknown zone, a malformed time or an invalid date.
 *
 * @example quietUntil(new Date('2026-11-21T17:00:00Z'), 'Asia/Kolkata', { start: '21:00', end: '09:00' })
 *   // 22:30 in Kolkata: quiet until 09:00 local the next morning, 2026-11-22T03:30:00Z
 */
export function quietUntil(now: Date, zone: string, window: QuietWindow): Date | null {
  const start = parseTimeOfDay(window.start);
  const end = parseTimeOfDay(window.end);
  const instant = now.getTime();
  if (Number.isNaN(instant)) throw new RangeError('quietUntil needs a valid date');
  if (start === end) return null;

  const { day, timeOfDay } = wallClock(instant, zone);
  let endDay: number;
  if (start < end) {
    if (timeOfDay < start || timeOfDay >= end) return null;
    endDay = day;
  } else if (timeOfDay >= start) {
    endDay = day + DAY_MS; // evening part of a window across midnight: ends tomorrow morning
  } else if (timeOfDay < end) {
    endDay = day; // morning part: ends this morning
  } else {
    return null;
  }
  return new Date(firstInstantAtOrAfter(endDay + end, zone, instant));
}

/** True when `now` falls inside quiet hours. */
export function isQuiet(now: Date, zone: string, window: QuietWindow): boolean {
  return quietUntil(now, zone, window) !== null;
}
