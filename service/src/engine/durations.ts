import { Duration } from 'luxon';

/**
 * ISO 8601 durations as lane settings and configuration use them: weeks, days, hours, minutes
 * and seconds only (years and months vary in length), longer than zero, at most 366 days.
 */

const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

export type DurationProblem = 'invalid' | 'calendar' | 'not_positive' | 'too_long';

export function durationProblem(iso: string): { problem: DurationProblem } | { ms: number } {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return { problem: 'invalid' };
  // Years and months have no fixed length: luxon would silently take 365 and 30 days.
  if (duration.years !== 0 || duration.quarters !== 0 || duration.months !== 0) return { problem: 'calendar' };
  const ms = duration.toMillis();
  if (!(ms > 0)) return { problem: 'not_positive' };
  if (ms > MAX_DURATION_MS) return { problem: 'too_long' };
  return { ms };
}

export const DURATION_MESSAGES: Record<DurationProblem, string> = {
  invalid: 'must be an ISO 8601 duration, such as PT15M or PT4H',
  calendar: 'must use weeks, days, hours, minutes or seconds (years and months vary in length)',
  not_positive: 'must be longer than zero',
  too_long: 'must be at most 366 days',
};

/**
 * Milliseconds in an ISO 8601 duration such as `PT15M`, `PT4H` or `P1DT12H` (luxon parses it).
 * Throws a RangeError for an invalid, zero, negative, year- or month-based, or over-366-day one.
 */
export function parseDurationMs(iso: string): number {
  const result = durationProblem(iso);
  if ('problem' in result) throw new RangeError(`Duration ${JSON.stringify(iso)} ${DURATION_MESSAGES[result.problem]}`);
  return result.ms;
}
