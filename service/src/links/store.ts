import type { CheckoutAddress, Line } from '@cartback/shared';
import { consentOf } from '../consent/ledger';
import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import { readCheckoutDetails } from '../ingest/checkout-details';
import { hashToken, isLinkCode, isRestoreToken } from './codes';
import { chooseRestoreToken, newTokenSalt } from './restore-token';
import { lockLink } from './sql/lock-link';
import { recordOpen } from './sql/record-open';
import { insertToken, newestToken } from './sql/tokens';

/** `gone`: no such link, or it has expired — told apart by no one outside. */
export type ClickOutcome = { kind: 'restore'; token: string } | { kind: 'gone' };

/**
 * A shopper opened a message's link: counts the open (one click per link, however many opens)
 * and gives the link's restore token — the unexpired one again, or a new one (see
 * chooseRestoreToken; only hashes are stored). Concurrent opens of one link queue on its row. An
 * unknown or expired code changes nothing, and costs the same one locking read.
 */
export async function recordClick(db: Db, code: string, secret: string, now: Date): Promise<ClickOutcome> {
  if (!isLinkCode(code)) return { kind: 'gone' };
  return withTransaction(db, async (trx) => {
    const link = await lockLink(trx, code);
    if (!link || link.expires_at.getTime() <= now.getTime()) return { kind: 'gone' } as const;
    await recordOpen(trx, link, now);
    const choice = chooseRestoreToken(await newestToken(trx, code), secret, code, now, newTokenSalt());
    if (choice.kind === 'mint') await insertToken(trx, link, choice, now);
    return { kind: 'restore', token: choice.token } as const;
  });
}

export interface RestorePayload {
  cart: { cart_key: string; currency: string | null; lines: Line[]; total: number | null };
  coupon: string | null;
  /** The contact the message went to; `last_name` as typed in this cart's checkout. */
  contact: { phone: string; email: string | null; first_name: string | null; last_name: string | null };
  /** The addresses as last typed in this cart's checkout (WooCommerce's field names), or null. */
  billing: CheckoutAddress | null;
  shipping: CheckoutAddress | null;
  /** The contact's consent now, per scope, from the ledger. */
  consent: { marketing: boolean; utility: boolean };
}

/** What the plugin needs to rebuild the cart behind a restore token, or null if it is not valid. */
export async function restorePayload(
  db: Db,
  storeId: number,
  token: string,
  now: Date,
): Promise<RestorePayload | null> {
  if (!isRestoreToken(token)) return null;
  const row = await db
    .selectFrom('restore_tokens as t')
    .innerJoin('carts as c', (join) =>
      join.onRef('c.store_id', '=', 't.store_id').onRef('c.cart_key', '=', 't.cart_key'),
    )
    .innerJoin('contacts as p', 'p.id', 't.contact_id')
    .select([
      't.expires_at',
      't.contact_id',
      'c.cart_key',
      'c.currency',
      'c.lines',
      'c.total',
      'c.checkout_details',
      'p.phone',
      'p.email',
      'p.first_name',
    ])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.store_id', '=', storeId)
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  const details = readCheckoutDetails(row.checkout_details);
  // The last name typed in this cart belongs to the contact only if it was typed with their phone.
  const typedByContact = details.contact !== null && (details.contact.phone ?? row.phone) === row.phone;
  const consent = await consentOf(db, storeId, row.contact_id);
  return {
    cart: {
      cart_key: row.cart_key,
      currency: row.currency,
      lines: JSON.parse(row.lines ?? '[]') as Line[],
      total: row.total,
    },
    coupon: null,
    contact: {
      phone: row.phone,
      email: row.email,
      first_name: row.first_name,
      last_name: (typedByContact && details.contact?.last_name) || null,
    },
    billing: details.billing,
    shipping: details.shipping,
    consent: { marketing: consent.marketing.granted, utility: consent.utility.granted },
  };
}
