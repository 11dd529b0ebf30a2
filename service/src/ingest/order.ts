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
