import type { ConsentScope } from '@cartback/shared';
import type { Db, Trx } from '../db/database';
import { currentConsent, type ConsentState, type LedgerEntry } from './current';

/** Current consent of many contacts at once, derived from the ledger. */
export async function consentsOf(
  db: Db | Trx,
  storeId: number,
  contactIds: readonly number[],
): Promise<Map<number, ConsentState>> {
  const byContact = new Map<number, LedgerEntry[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('consent_ledger')
    .select(['id', 'contact_id', 'scope', 'action', 'source', 'text', 'text_version', 'occurred_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', [...contactIds])
    .execute();
  for (const r of rows) {
    byContact.get(r.contact_id)?.push({
      id: r.id,
      scope: r.scope,
      action: r.action,
      source: r.source,
      text: r.text,
      textVersion: r.text_version,
      occurredAt: r.occurred_at,
    });
  }
  return new Map([...byContact].map(([id, entries]) => [id, currentConsent(entries)]));
}

/** Reads a contact's ledger and derives its consent now. */
export async function consentOf(db: Db | Trx, storeId: number, contactId: number): Promise<ConsentState> {
  return (await consentsOf(db, storeId, [contactId])).get(contactId) ?? currentConsent([]);
}

/**
 * Records consent given or withdrawn through a channel other than the store's checkout (a STOP
 * or START reply, WhatsApp's own "stop" preference, the provider's refusal). Appends one ledger
 * row per scope; `text` is what the person wrote or what happened.
 */
export async function recordConsent(
  trx: Trx,
  entry: {
    action: 'granted' | 'withdrawn';
    storeId: number;
    contactId: number;
    phone: string;
    scopes: readonly ConsentScope[];
    source: string;
    text: string;
    at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('consent_ledger')
    .values(
      entry.scopes.map((scope) => ({
        store_id: entry.storeId,
        contact_id: entry.contactId,
        event_id: null,
        phone: entry.phone,
        email: null,
        scope,
        action: entry.action,
        source: entry.source,
        text: entry.text,
        text_version: 1,
        occurred_at: entry.at,
        recorded_at: entry.at,
      })),
    )
    .execute();
}
