import { compareStamps, fromStoredStamp, toStoredStamp, type Stamp, type Stamped, type StoredStamp } from './order';

/**
 * "Newest value wins, field by field": a row whose fields are reported by different events (a
 * contact's email, name and customer id; a cart's session and customer) keeps, for each field,
 * the value of the newest event that carried one, so an event that leaves a field out never
 * erases it and an older event arriving late never overwrites it. Each field's stamp is kept in
 * the row's `stamps` JSON column ({"field": [ISO time, event id]}). Pure: no IO, no clock.
 */

export type FieldStamps = Record<string, StoredStamp>;

/** The stamps JSON as stored (a missing or unreadable column reads as no stamps). */
export function parseStamps(json: string | null | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Folds one field: `candidate` replaces the stored value when it is newer than the stamp the
 * stored value came with. A value stored before stamps were kept counts as stamped `legacy`
 * (with an empty event id, so a later event of the same time still wins). Updates `stamps` and
 * returns the value to keep.
 */
export function foldField<T>(
  field: string,
  stored: T | null,
  stamps: Record<string, unknown>,
  candidate: Stamped<T> | undefined,
  legacy: Date | null,
): T | null {
  if (!candidate) return stored;
  const current = fromStoredStamp(stamps[field]) ?? (stored !== null && legacy ? { at: legacy, eventId: '' } : null);
  if (current && compareStamps(candidate, current) <= 0) return stored;
  stamps[field] = toStoredStamp(candidate);
  return candidate.value;
}

/** The stamp a field's value came with, if known. */
export function fieldStamp(stamps: Record<string, unknown>, field: string): Stamp | null {
  return fromStoredStamp(stamps[field]);
}

/** The stamps JSON to store, keys sorted (so equal stamps are equal strings), null for none. */
export function serializeStamps(stamps: Record<string, unknown>): string | null {
  const keys = Object.keys(stamps).sort();
  return keys.length > 0 ? JSON.stringify(Object.fromEntries(keys.map((k) => [k, stamps[k]]))) : null;
}
