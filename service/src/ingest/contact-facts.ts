import type { Selectable } from 'kysely';
import type { ContactsTable } from '../db/schema';
import { fieldStamp, foldField, parseStamps, serializeStamps } from './fields';
import { fromStoredStamp, newerOf, toStoredStamp, type Stamped } from './order';
import type { ContactFacts } from './plan';

export type ContactRow = Selectable<ContactsTable>;

/** What a contact's change means for the keys that point at contacts (links.ts). */
export interface ContactChange {
  row: ContactRow;
  /** Emails and customer ids it gained or lost, or got again from a newer event. */
  emails: string[];
  customerIds: number[];
}

/** The customer id a contact's own events (those that carry its phone) gave it, with its stamp. */
function ownCustomer(row: ContactRow, stamps: Record<string, unknown>): Stamped<number> | undefined {
  const own = stamps.own_customer_id;
  if (Array.isArray(own)) {
    const stamp = fromStoredStamp(own);
    return stamp && typeof own[2] === 'number' ? { ...stamp, value: own[2] } : undefined;
  }
  // Stored before logins by email were kept apart: the customer id it has is its own.
  if (row.customer_id === null) return undefined;
  const stamp = fieldStamp(stamps, 'customer_id') ?? { at: row.attributes_at, eventId: '' };
  return { ...stamp, value: row.customer_id };
}

/**
 * One contact after this batch's facts about its phone: its email, first name and country are
 * each the newest event's that carried one (fields.ts), its own customer id too, and
 * `attributes_at` the newest fact's time. Pure.
 */
export function foldContact(stored: ContactRow, facts: ContactFacts | undefined): ContactRow {
  if (!facts) return stored;
  const stamps = parseStamps(stored.stamps);
  const legacy = stored.stamps === null ? stored.attributes_at : null;
  const own = newerOf(ownCustomer(stored, stamps), facts.customerId);
  if (own) stamps.own_customer_id = [...toStoredStamp(own), own.value];
  return {
    ...stored,
    email: foldField('email', stored.email, stamps, facts.email, legacy),
    first_name: foldField('first_name', stored.first_name, stamps, facts.firstName, legacy),
    country: foldField('country', stored.country, stamps, facts.country, legacy),
    attributes_at: facts.at.getTime() > stored.attributes_at.getTime() ? facts.at : stored.attributes_at,
    stamps: serializeStamps(stamps),
  };
}

/**
 * Settles a contact's customer id: the newer of its own (from events carrying its phone) and that
 * of the newest login without a phone that named its email (`login`, kept with the email's key).
 * Compares with the row as stored: null when nothing changes, else the row to write and the
 * emails and customer ids it gained or lost (or got again from a newer event). Pure.
 */
export function settleContact(
  stored: ContactRow,
  folded: ContactRow,
  login: Stamped<number> | undefined,
  now: Date,
): ContactChange | null {
  const stamps = parseStamps(folded.stamps);
  const own = ownCustomer(folded, stamps);
  if (own) stamps.own_customer_id = [...toStoredStamp(own), own.value];
  const effective = newerOf(own, login);
  if (effective) stamps.customer_id = toStoredStamp(effective);
  else delete stamps.customer_id;
  const row: ContactRow = { ...folded, customer_id: effective?.value ?? null, stamps: serializeStamps(stamps) };
  if (row.stamps === stored.stamps && row.attributes_at.getTime() === stored.attributes_at.getTime()) return null;
  row.updated_at = now;
  const before = parseStamps(stored.stamps);
  const moved = (field: string) => JSON.stringify(stamps[field] ?? null) !== JSON.stringify(before[field] ?? null);
  const emails = moved('email') ? [stored.email, row.email].filter((e): e is string => !!e) : [];
  const customerIds = moved('customer_id') ? [stored.customer_id, row.customer_id].filter((c): c is number => !!c) : [];
  return { row, emails: [...new Set(emails)], customerIds: [...new Set(customerIds)] };
}

/** foldContact then settleContact with no login by email: a contact's own facts only. */
export function nextContact(stored: ContactRow, facts: ContactFacts, now: Date): ContactChange | null {
  return settleContact(stored, foldContact(stored, facts), undefined, now);
}

/** The stamp behind a contact's email or customer id (null for a value stored before stamps). */
export function attributeStamp(row: Pick<ContactRow, 'stamps'>, field: 'email' | 'customer_id') {
  return fieldStamp(parseStamps(row.stamps), field);
}
