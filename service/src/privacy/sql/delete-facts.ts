import type { Trx } from '../../db/database';
import { whenAny, type Subject } from './subject';

export interface DeletedFacts {
  contacts: number;
  consents: number;
  carts: number;
  productViews: number;
  nudges: number;
  /** Tracked links, their clicks and restore tokens. */
  links: number;
}

const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/**
 * Deletes the rows that exist only because of the person: the contact, its consent ledger
 * (which names them; with it gone, their consent is none until they give it again), carts,
 * product views, other channels' nudges, requests for a person (handoffs), the keys (known browsers' included) that pointed at them (contact_keys), and the
 * tracked links, clicks and restore tokens of their messages. Returns how many rows of each went.
 */
export async function deleteFacts(trx: Trx, storeId: number, s: Subject): Promise<DeletedFacts> {
  const counts: DeletedFacts = { contacts: 0, consents: 0, carts: 0, productViews: 0, nudges: 0, links: 0 };
  // An OR over no keys is `1 = 0`: nothing is deleted.
  for (const table of ['clicks', 'links'] as const) {
    const result = await trx
      .deleteFrom(table)
      .where('store_id', '=', storeId)
      .where((eb) =>
        eb.or([
          ...whenAny(s.contactIds, (v) => eb('contact_id', 'in', v)),
          ...whenAny(s.messageIds, (v) => eb('message_id', 'in', v)),
        ]),
      )
      .executeTakeFirst();
    counts.links += deleted(result);
  }
  const tokens = await trx
    .deleteFrom('restore_tokens')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(s.contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(s.cartKeys, (v) => eb('cart_key', 'in', v)),
      ]),
    )
    .executeTakeFirst();
  counts.links += deleted(tokens);
  // What the person's phone, emails, customer ids, sessions and known browsers pointed at
  // (ingest/links.ts), and the logins and browser links that named them: ingestion rebuilds a
  // key from later events if it needs one, so a view from an old cookie later links to no one.
  await trx
    .deleteFrom('contact_keys')
    .where('store_id', '=', storeId)
    .where((eb) =>
      eb.or([
        ...whenAny(s.contactIds, (v) => eb('contact_id', 'in', v)),
        ...whenAny(s.phones, (v) => eb.and([eb('kind', '=', 'phone'), eb('value', 'in', v)])),
        ...whenAny(s.emails, (v) => eb.and([eb('kind', '=', 'email'), eb('value', 'in', v)])),
        ...whenAny(s.customerIds.map(String), (v) => eb.and([eb('kind', '=', 'customer'), eb('value', 'in', v)])),
        ...whenAny(s.sessionIds, (v) => eb.and([eb('kind', '=', 'session'), eb('value', 'in', v)])),
        ...whenAny(s.contactRefs, (v) => eb.and([eb('kind', '=', 'browser'), eb('value', 'in', v)])),
        ...whenAny(s.phones, (v) => eb('ref_phone', 'in', v)),
        ...whenAny(s.emails, (v) => eb('ref_email', 'in', v)),
        ...whenAny(s.customerIds, (v) => eb('ref_customer_id', 'in', v)),
      ]),
    )
    .execute();
  // Their requests for a person (what they wrote in the chat).
  if (s.contactIds.length) {
    await trx.deleteFrom('handoffs').where('store_id', '=', storeId).where('contact_id', 'in', s.contactIds).execute();
  }
  if (s.nudgeIds.length) {
    counts.nudges = deleted(await trx.deleteFrom('channel_nudges').where('id', 'in', s.nudgeIds).executeTakeFirst());
  }
  if (s.productViewIds.length) {
    counts.productViews = deleted(
      await trx.deleteFrom('product_views').where('id', 'in', s.productViewIds).executeTakeFirst(),
    );
  }
  if (s.cartKeys.length) {
    counts.carts = deleted(
      await trx
        .deleteFrom('carts')
        .where('store_id', '=', storeId)
        .where('cart_key', 'in', s.cartKeys)
        .executeTakeFirst(),
    );
  }
  if (s.consentIds.length) {
    counts.consents = deleted(
      await trx.deleteFrom('consent_ledger').where('id', 'in', s.consentIds).executeTakeFirst(),
    );
  }
  if (s.contactIds.length) {
    counts.contacts = deleted(await trx.deleteFrom('contacts').where('id', 'in', s.contactIds).executeTakeFirst());
  }
  return counts;
}
