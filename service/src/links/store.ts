import type { CheckoutAddress, Line } from '@cartback/shared';
import { consentOf } from '../consent/ledger';
import { messageCoupon } from '../recovery/sql/coupons';
import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import { readCheckoutDetails } from '../ingest/checkout-details';
import { hashToken, isLinkCode, isRestoreToken } from './codes';
import { chooseRestoreToken, newTokenSalt } from './restore-token';
import { lockLink } from './sql/lock-link';
import { recordOpen } from './sql/record-open';
import { orderPayUrl } from './sql/order-pay-url';
import { offerPayload, type OfferRestore } from './restore-offer';
import { insertToken, newestToken } from './sql/tokens';
import { linkTarget } from './subjects';

/**
 * `restore`: a cart, browse or win-back link, with its restore token. `pay`: an order's link (payment
 * recovery), with the order's pay link as last reported (null when there is none; the caller
 * judges whether it is safe to follow: subjects.ts safePayUrl). `gone`: no such link, or it has
 * expired — told apart by no one outside.
 */
export type ClickOutcome =
  { kind: 'restore'; token: string } | { kind: 'pay'; payUrl: string | null } | { kind: 'gone' };

/**
 * A shopper opened a message's link: counts the open (one click per link, however many opens)
 * and gives what the link leads to (subjects.ts): the order's pay link, or the link's restore
 * token — the unexpired one again, or a new one (see chooseRestoreToken; only hashes are
 * stored). Concurrent opens of one link queue on its row. An unknown or expired code changes
 * nothing, and costs the same one locking read.
 */
export async function recordClick(db: Db, code: string, secret: string, now: Date): Promise<ClickOutcome> {
  if (!isLinkCode(code)) return { kind: 'gone' };
  return withTransaction(db, async (trx) => {
    const link = await lockLink(trx, code);
    if (!link || link.expires_at.getTime() <= now.getTime()) return { kind: 'gone' } as const;
    const target = linkTarget(link.subject_kind);
    if (target === null) return { kind: 'gone' } as const;
    await recordOpen(trx, link, now);
    if (target === 'pay') return { kind: 'pay', payUrl: await orderPayUrl(trx, link) } as const;
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
  /** The message whose link was opened (null for a token minted without one), for the order it may bring. */
  attribution: RestoreAttribution | null;
}

/** Which message a restore came through: the plugin tags the checkout and the order with it. */
export interface RestoreAttribution {
  lane: string;
  step: number;
  message_id: number;
}

/**
 * What the plugin needs behind a restore token, or null if it is not valid: a cart link's saved
 * cart (to replace the visitor's), or a browse or win-back link's offered products (to add to it:
 * RestorePayload's `mode` and `open`, restore-offer.ts).
 */
export async function restorePayload(
  db: Db,
  storeId: number,
  token: string,
  now: Date,
): Promise<RestorePayload | OfferRestore | null> {
  if (!isRestoreToken(token)) return null;
  // One query for any token, valid or not; the cart is joined only for a cart's token.
  const row = await db
    .selectFrom('restore_tokens as t')
    .leftJoin('carts as c', (join) =>
      join
        .onRef('c.store_id', '=', 't.store_id')
        .onRef('c.cart_key', '=', 't.cart_key')
        .on('t.subject_kind', '=', 'cart'),
    )
    .innerJoin('contacts as p', 'p.id', 't.contact_id')
    .leftJoin('links as l', 'l.code', 't.code')
    .leftJoin('messages as m', 'm.id', 'l.message_id')
    .select([
      't.expires_at',
      't.contact_id',
      't.subject_kind',
      't.code',
      'c.cart_key',
      'c.currency',
      'c.lines',
      'c.total',
      'c.checkout_details',
      'p.phone',
      'p.email',
      'p.first_name',
      'm.id as message_id',
      'm.lane',
      'm.step',
    ])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.store_id', '=', storeId)
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  const attribution =
    row.message_id !== null && row.lane !== null && row.step !== null
      ? { lane: row.lane, step: row.step, message_id: Number(row.message_id) }
      : null;
  if (row.subject_kind === 'product' || row.subject_kind === 'winback') {
    return offerPayload(db, storeId, { ...row, subject_kind: row.subject_kind, attribution }, now);
  }
  if (row.subject_kind !== 'cart' || row.cart_key === null) return null;
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
    coupon: row.message_id === null ? null : await messageCoupon(db, Number(row.message_id), now),
    contact: {
      phone: row.phone,
      email: row.email,
      first_name: row.first_name,
      last_name: (typedByContact && details.contact?.last_name) || null,
    },
    billing: details.billing,
    shipping: details.shipping,
    consent: { marketing: consent.marketing.granted, utility: consent.utility.granted },
    attribution,
  };
}
