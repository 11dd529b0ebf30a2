/**
 * Small, total readers for JSON from the wire (webhooks, Graph responses): each returns a value of
 * the expected type or `undefined`/`[]`, never throws, and never needs `any`.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` when it is an object. */
export function recordAt(obj: JsonRecord, key: string): JsonRecord | undefined {
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}

/** `obj[key]` when it is a non-empty string. */
export function stringAt(obj: JsonRecord, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `obj[key]` when it is a string (possibly empty). */
export function textAt(obj: JsonRecord, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** `obj[key]` when it is a finite number. */
export function numberAt(obj: JsonRecord, key: string): number | undefined {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `obj[key]` when it is an array, else an empty one. */
export function arrayAt(obj: JsonRecord, key: string): readonly unknown[] {
  const value = obj[key];
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The objects of `obj[key]` when it is an array; other elements are left out. */
export function recordsAt(obj: JsonRecord, key: string): JsonRecord[] {
  return arrayAt(obj, key).filter(isRecord);
}
