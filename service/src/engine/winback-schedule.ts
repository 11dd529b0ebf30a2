/**
 * When the daily win-back pass runs (recovery/engine.ts): once a day, at the first check at or
 * after `hour` o'clock in the store's time zone. Pure: the engine checks every minute and keeps
 * the local date of the last pass it ran. Running it twice is harmless (the pass is idempotent);
 * this only keeps it from scanning more than once a day.
 */

/** The local date (`YYYY-MM-DD`) and hour at `now` in `timeZone` (UTC when the zone is unknown). */
export function localDateHour(now: Date, timeZone: string): { date: string; hour: number } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return localDateHour(now, 'UTC');
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * The local date to run the pass for at `now`, or null when it is not time: before `hour` in the
 * store's zone, or already run on this local date.
 */
export function winbackPassDue(now: Date, timeZone: string, hour: number, lastRunDate: string | null): string | null {
  const local = localDateHour(now, timeZone);
  if (local.hour < hour || local.date === lastRunDate) return null;
  return local.date;
}
