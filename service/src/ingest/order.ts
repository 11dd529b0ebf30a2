/**
 * "Newest wins": the order in which facts about one cart or order are applied does not matter.
 * A fact is identified by the time it occurred in the store and its event id (the tie-breaker,
 * so two events stamped with the same millisecond still have one winner on every replica).
 */
export interface Stamp {
  at: Date;
  eventId: string;
}

/** Negative when a is older than b, positive when newer, 0 when they are the same event. */
export function compareStamps(a: Stamp, b: Stamp): number {
  const dt = a.at.getTime() - b.at.getTime();
  if (dt !== 0) return dt;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** True when `candidate` should replace what is stored (nothing stored yet counts as older). */
export function isNewer(candidate: Stamp, current: Stamp | null): boolean {
  return current === null || compareStamps(candidate, current) > 0;
}

/** The newest of some stamped items (undefined for none). */
export function newest<T extends Stamp>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || compareStamps(item, best) > 0) best = item;
  return best;
}

/** A stamp from two nullable columns, or null when nothing was stored. */
export function storedStamp(at: Date | null, eventId: string | null): Stamp | null {
  return at && eventId ? { at, eventId } : null;
}

/** A value and the stamp of the event it came from. */
export interface Stamped<T> extends Stamp {
  value: T;
}

/** A stamp as kept in a JSON column: [ISO time, event id]. */
export type StoredStamp = [string, string];

export function toStoredStamp(stamp: Stamp): StoredStamp {
  return [stamp.at.toISOString(), stamp.eventId];
}

export function fromStoredStamp(stored: unknown): Stamp | null {
  if (!Array.isArray(stored) || typeof stored[0] !== 'string' || typeof stored[1] !== 'string') return null;
  const at = new Date(stored[0]);
  return Number.isNaN(at.getTime()) ? null : { at, eventId: stored[1] };
}

/** The newer of two stamped values, either possibly missing. */
export function newerOf<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): Stamped<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareStamps(b, a) > 0 ? b : a;
}
