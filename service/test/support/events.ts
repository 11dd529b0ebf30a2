import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventDataByType, EventType, StoreEventOf } from '@cartback/shared';

const FIXTURES = join(__dirname, '../../../shared/fixtures/events');

/** The shared JSON fixture for a type (the plugin's PHP tests read the same files). */
export function fixture<T extends EventType>(type: T): StoreEventOf<T> {
  return JSON.parse(readFileSync(join(FIXTURES, 'valid', `${type}.json`), 'utf8')) as StoreEventOf<T>;
}

export function allFixtures(): StoreEventOf<EventType>[] {
  return readdirSync(join(FIXTURES, 'valid')).map(
    (f) => JSON.parse(readFileSync(join(FIXTURES, 'valid', f), 'utf8')) as StoreEventOf<EventType>,
  );
}

export function invalidCases(): Array<{ name: string; path: string; event: unknown }> {
  return JSON.parse(readFileSync(join(FIXTURES, 'invalid', 'cases.json'), 'utf8'));
}

/** An ISO 8601 UTC time `minutes` before now (events from the future count as happening now). */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** A fresh event of a type: the fixture with a new id, and `data` fields overridden. */
export function event<T extends EventType>(
  type: T,
  data: Partial<EventDataByType[T]> = {},
  occurredAt = minutesAgo(1),
): StoreEventOf<T> {
  const base = fixture(type);
  return { ...base, id: randomUUID(), occurred_at: occurredAt, data: { ...base.data, ...data } };
}

export const batch = (...events: unknown[]): string => JSON.stringify({ events });
