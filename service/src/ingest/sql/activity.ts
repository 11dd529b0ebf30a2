import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import type { ConsentEntry, Identification, Nudge, ProductView } from '../plan';
import { chunks } from './upsert';

/** Appends to the consent ledger (never updated, never deleted by ingestion). */
export async function appendConsents(
  trx: Trx,
  storeId: number,
  entries: ReadonlyArray<ConsentEntry & { contactId: number }>,
  now: Date,
): Promise<void> {
  for (const chunk of chunks(entries)) {
    await trx
      .insertInto('consent_ledger')
      .values(
        chunk.map((c) => ({
          store_id: storeId,
          contact_id: c.contactId,
          event_id: c.eventId,
          phone: c.phone,
          email: c.email,
          scope: c.scope,
          action: c.action,
          source: c.source,
          text: c.text,
          text_version: c.textVersion,
          occurred_at: c.at,
          recorded_at: now,
        })),
      )
      .execute();
  }
}

export async function insertProductViews(
  trx: Trx,
  storeId: number,
  views: ReadonlyArray<ProductView & { contactId: number | null }>,
): Promise<void> {
  for (const chunk of chunks(views)) {
    await trx
      .insertInto('product_views')
      .values(
        chunk.map((v) => ({
          store_id: storeId,
          event_id: v.eventId,
          session_id: v.sessionId,
          customer_id: v.customerId,
          contact_id: v.contactId,
          product_id: v.product.id,
          name: v.product.name,
          price: v.product.price,
          currency: v.product.currency,
          image_url: v.product.image_url ?? null,
          url: v.product.url,
          in_stock: v.product.in_stock,
          categories: JSON.stringify(v.product.categories),
          viewed_at: v.at,
        })),
      )
      .execute();
  }
}

export async function insertNudges(
  trx: Trx,
  storeId: number,
  nudges: ReadonlyArray<Nudge & { contactId: number | null }>,
): Promise<void> {
  for (const chunk of chunks(nudges)) {
    await trx
      .insertInto('channel_nudges')
      .values(
        chunk.map((n) => ({
          store_id: storeId,
          event_id: n.eventId,
          channel: n.channel,
          contact_id: n.contactId,
          phone: n.ref.phone ?? null,
          email: n.ref.email ?? null,
          subject_kind: n.subjectKind,
          subject_id: n.subjectId,
          sent_at: n.at,
        })),
      )
      .execute();
  }
}

/** `CASE <column> WHEN k THEN v … ELSE <fallback> END`: one value per key in a single UPDATE. */
function caseOf<T>(column: string, values: ReadonlyMap<string | number, string | number>, fallback: string) {
  const whens = [...values].map(([key, value]) => sql`WHEN ${key} THEN ${value}`);
  return sql<T>`CASE ${sql.ref(column)} ${sql.join(whens, sql` `)} ELSE ${sql.ref(fallback)} END`;
}

/**
 * Shoppers logged in: each anonymous session's carts and product views now belong to its
 * contact, where they had none, and each contact learns its customer id. Set-based: three
 * statements however many identifications.
 */
export async function linkSessions(
  trx: Trx,
  storeId: number,
  links: ReadonlyArray<{ identification: Identification; contactId: number | null }>,
): Promise<void> {
  const known = links.filter((l): l is { identification: Identification; contactId: number } => l.contactId !== null);
  if (known.length === 0) return;
  const bySession = new Map(known.map((l) => [l.identification.sessionId, l.contactId]));
  const byContact = new Map(known.map((l) => [l.contactId, l.identification.customerId]));
  await trx
    .updateTable('contacts')
    .set({ customer_id: caseOf<number>('id', byContact, 'customer_id') })
    .where('store_id', '=', storeId)
    .where('id', 'in', [...byContact.keys()])
    .where('customer_id', 'is', null)
    .execute();
  for (const table of ['carts', 'product_views'] as const) {
    await trx
      .updateTable(table)
      .set({ contact_id: caseOf<number>('session_id', bySession, 'contact_id') })
      .where('store_id', '=', storeId)
      .where('session_id', 'in', [...bySession.keys()])
      .where('contact_id', 'is', null)
      .execute();
  }
}
