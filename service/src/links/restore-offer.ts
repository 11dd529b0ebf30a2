import type { Line } from '@cartback/shared';
import { consentOf } from '../consent/ledger';
import type { RestoreAttribution } from './store';
import type { Db } from '../db/database';
import { messageCoupon } from '../recovery/sql/coupons';
import { offerCart, offerOpens } from './subjects';

/**
 * The restore payload of a browse or win-back link (GET /v1/restore/:token): the products the
 * journey offered (its enrollment's `offer`, reached by the link's message), one of each, to be
 * ADDED to the visitor's cart — never replacing it: the shopper may have filled a new cart since.
 * A cart link's payload (store.ts RestorePayload) has neither `mode` nor `open`: replace, then
 * the checkout, as it always did.
 */
export interface OfferRestore {
  /** Add each line not already in the visitor's cart (quantity 1), keeping everything else. */
  mode: 'add';
  /** Where to send the shopper afterwards: browse the checkout, win-back the cart page (they choose). */
  open: 'checkout' | 'cart';
  /** No cart key: the visitor's own cart goes on being theirs. */
  cart: { cart_key: null; currency: string | null; lines: Line[]; total: number | null };
  /** The link's message's coupon code, while it is live; else null. */
  coupon: string | null;
  contact: { phone: string; email: string | null; first_name: string | null; last_name: null };
  billing: null;
  shipping: null;
  consent: { marketing: boolean; utility: boolean };
  attribution: RestoreAttribution | null;
}

/** The token's row, as restorePayload read it. */
export interface OfferTokenRow {
  subject_kind: 'product' | 'winback';
  code: string | null;
  contact_id: number;
  phone: string;
  email: string | null;
  first_name: string | null;
  /** The link's message (store.ts). */
  attribution: RestoreAttribution | null;
}

/** The offer behind a browse or win-back token; null when its link or enrollment is gone. */
export async function offerPayload(
  db: Db,
  storeId: number,
  row: OfferTokenRow,
  now: Date,
): Promise<OfferRestore | null> {
  if (row.code === null) return null;
  const found = await db
    .selectFrom('links as l')
    .innerJoin('messages as m', 'm.id', 'l.message_id')
    .innerJoin('enrollments as e', 'e.id', 'm.enrollment_id')
    .select(['e.offer', 'm.id as message_id'])
    .where('l.code', '=', row.code)
    .where('l.store_id', '=', storeId)
    .executeTakeFirst();
  if (!found) return null;
  const cart = offerCart(found.offer);
  const consent = await consentOf(db, storeId, row.contact_id);
  return {
    mode: 'add',
    open: offerOpens(row.subject_kind),
    cart: { cart_key: null, ...cart },
    coupon: await messageCoupon(db, Number(found.message_id), now),
    contact: { phone: row.phone, email: row.email, first_name: row.first_name, last_name: null },
    billing: null,
    shipping: null,
    consent: { marketing: consent.marketing.granted, utility: consent.utility.granted },
    attribution: row.attribution,
  };
}
