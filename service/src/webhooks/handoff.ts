import { createHash } from 'node:crypto';
import type { Db, Trx } from '../db/database';
import { stopActiveJourneys } from '../recovery/stop';

/** A wamid the column can hold as it is (printable ASCII); anything else is kept as its digest. */
const STORABLE_WAMID = /^[\x21-\x7e]{1,128}$/;

function wamidKey(wamid: string): string {
  return STORABLE_WAMID.test(wamid) ? wamid : `sha256:${createHash('sha256').update(wamid).digest('hex')}`;
}

/** Whether the contact has an open handoff (a person has not closed it yet). */
export async function hasOpenHandoff(db: Db | Trx, storeId: number, contactId: number): Promise<boolean> {
  const open = await db
    .selectFrom('handoffs')
    .select('id')
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('closed_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return open !== undefined;
}

export type HandoffResult =
  /** Recorded; `opened`: no handoff was open before (the shopper is told a person will reply). */
  | { kind: 'recorded'; contactId: number; locale: string | null; opened: boolean; stopped: number[] }
  /** This inbound message was already recorded (WhatsApp delivered it again): nothing changes. */
  | { kind: 'duplicate' }
  /** A number the store does not know: there is no automation to pause and no one to hand over. */
  | { kind: 'no_contact' };

/**
 * A shopper asked for a person (the help button, or a typed request: whatsapp/handoff-words.ts):
 * records the handoff once per inbound message (INSERT IGNORE on its wamid: a duplicate delivery,
 * even one applied at the same moment, waits for the first and is then ignored) and, in the same
 * transaction, stops every active journey of the contact (`handoff_active`, a history row each)
 * and skips every message of theirs still queued, whatever its lane or category.
 *
 * The contact's row is not locked here: the journeys are locked one by one (as an opt-out does),
 * which waits for a step being taken. A journey started or a step decided concurrently, before
 * this commits, is caught afterwards by the send decision, which reads the open handoff with the
 * contact locked (recovery/facts.ts), and enroll() refuses new journeys while one is open.
 */
export async function requestHandoff(
  trx: Trx,
  entry: { storeId: number; phone: string; wamid: string; source: 'button' | 'text'; text: string; at: Date },
): Promise<HandoffResult> {
  const contact = await trx
    .selectFrom('contacts')
    .select(['id', 'locale'])
    .where('store_id', '=', entry.storeId)
    .where('phone', '=', entry.phone)
    .executeTakeFirst();
  if (!contact) return { kind: 'no_contact' };
  const wasOpen = await hasOpenHandoff(trx, entry.storeId, contact.id);
  const inserted = await trx
    .insertInto('handoffs')
    .ignore()
    .values({
      store_id: entry.storeId,
      contact_id: contact.id,
      requested_at: entry.at,
      source: entry.source,
      wamid: wamidKey(entry.wamid),
      text: entry.text,
    })
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { kind: 'duplicate' };
  const stopped = await stopActiveJourneys(trx, {
    storeId: entry.storeId,
    contactIds: [contact.id],
    reason: 'handoff_active',
    detail: entry.source === 'button' ? 'the shopper pressed the help button' : 'the shopper asked for a person',
    at: entry.at,
  });
  // Every queued message of the contact, not only those of active journeys: a journey whose last
  // step is queued has already completed, and that message must not go either.
  await trx
    .updateTable('messages')
    .set({ state: 'skipped', error_message: 'handoff_active', updated_at: entry.at })
    .where('store_id', '=', entry.storeId)
    .where('contact_id', '=', contact.id)
    .where('state', '=', 'queued')
    .execute();
  return { kind: 'recorded', contactId: contact.id, locale: contact.locale, opened: !wasOpen, stopped };
}
