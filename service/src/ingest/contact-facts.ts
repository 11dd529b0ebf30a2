import type { Selectable } from 'kysely';
import type { ContactsTable } from '../db/schema';
import { fieldStamp, foldField, parseStamps, serializeStamps } from './fields';
import type { ContactFacts } from './plan';

export type ContactRow = Selectable<ContactsTable>;

/** What a contact's change means for the keys that point at contacts (links.ts). */
export interface ContactChange {
  row: ContactRow;
  /** Emails and customer ids it gained or lost, or got again from a newer event. */
  emails: string[];
  customerIds: number[];
}

/**
 * One contact after this batch's facts about its phone: each attribute (email, first name,
 * customer id, country) is the newest event's that carried it (fields.ts), `attributes_at` the
 * newest fact's time. Null when nothing changes. Pure: no IO, no clock but `now`.
 */
export function nextContact(stored: ContactRow, facts: ContactFacts, now: Date): ContactChange | null {
  const stamps = parseStamps(stored.stamps);
  const before = serializeStamps(stamps);
  const legacy = stored.stamps === null ? stored.attributes_at : null;
  const row: ContactRow = {
    ...stored,
    email: foldField('email', stored.email, stamps, facts.email, legacy),
    first_name: foldField('first_name', stored.first_name, stamps, facts.firstName, legacy),
    customer_id: foldField('customer_id', stored.customer_id, stamps, facts.customerId, legacy),
    country: foldField('country', stored.country, stamps, facts.country, legacy),
    attributes_at: facts.at.getTime() > stored.attributes_at.getTime() ? facts.at : stored.attributes_at,
  };
  const stampsJson = serializeStamps(stamps);
  if (stampsJson === before && row.attributes_at === stored.attributes_at) return null;
  row.stamps = stampsJson;
  row.updated_at = now;
  const moved = (field: string) =>
    JSON.stringify(stamps[field] ?? null) !== JSON.stringify(parseStamps(stored.stamps)[field] ?? null);
  const emails = moved('email') ? [stored.email, row.email].filter((e): e is string => !!e) : [];
  const customerIds = moved('customer_id') ? [stored.customer_id, row.customer_id].filter((c): c is number => !!c) : [];
  return { row, emails: [...new Set(emails)], customerIds: [...new Set(customerIds)] };
}

/** The stamp behind a contact's email or customer id (null for a value stored before stamps). */
export function attributeStamp(row: Pick<ContactRow, 'stamps'>, field: 'email' | 'customer_id') {
  return fieldStamp(parseStamps(row.stamps), field);
}
