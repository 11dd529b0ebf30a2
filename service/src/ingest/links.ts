import { compareStamps, type Stamp } from './order';
import type { ContactRef } from './plan';

/**
 * Which contact a row belongs to, as a function of the events, never of their arrival order.
 * A row names its shopper by keys (phone, email, customer id, shopping session); each key points
 * at one contact by these rules, and a row's contact follows from its keys:
 *
 * - a phone: the contact with that phone (contacts are one per phone);
 * - an email or a customer id: of the contacts that have it now, the one that got it from the
 *   newest event (contact attributes are "newest wins", field by field: fields.ts);
 * - a session: whoever the session's newest login (`customer.identified`) named, by its phone,
 *   else its email, else its customer id;
 * - a known browser's reference (the cookie's `contact_ref`): the contact with the phone its
 *   newest `browser.linked` named (none before one arrives, and none once the contact is erased).
 *
 * When what a key points at changes (a contact learns an email, a later login arrives, a contact
 * is created for a phone), the rows that name it are relinked in the same transaction
 * (ingest/relink.ts), so a row ends up with the same contact whether the event that tells who
 * the shopper is came before it or after. Pure: no IO.
 */

export interface LinkMaps {
  byPhone: ReadonlyMap<string, number>;
  byEmail: ReadonlyMap<string, number>;
  byCustomer: ReadonlyMap<number, number>;
  bySession: ReadonlyMap<string, number>;
  byBrowser: ReadonlyMap<string, number>;
}

/** A reference's contact: by phone, else email, else customer id (the first that points at one). */
export function refContact(ref: ContactRef, maps: LinkMaps): number | null {
  return (
    (ref.phone !== undefined ? maps.byPhone.get(ref.phone) : undefined) ??
    (ref.email !== undefined ? maps.byEmail.get(ref.email) : undefined) ??
    (ref.customerId !== undefined ? maps.byCustomer.get(ref.customerId) : undefined) ??
    null
  );
}

/**
 * A product view's contact: by the customer id it carries, else by its session's login, else by
 * its known-browser reference. Who is logged in wins over the cookie: a login says who is at the
 * browser now, while a cookie set by one member of a household may be carried by a shared device.
 */
export function viewContact(
  view: { customerId: number | null; sessionId: string; contactRef: string | null },
  maps: LinkMaps,
): number | null {
  return (
    (view.customerId !== null ? maps.byCustomer.get(view.customerId) : undefined) ??
    maps.bySession.get(view.sessionId) ??
    (view.contactRef !== null ? maps.byBrowser.get(view.contactRef) : undefined) ??
    null
  );
}

/** A channel nudge's contact: by the phone, else the email it was sent to. */
export function nudgeContact(nudge: { phone: string | null; email: string | null }, maps: LinkMaps): number | null {
  return refContact(
    { ...(nudge.phone ? { phone: nudge.phone } : {}), ...(nudge.email ? { email: nudge.email } : {}) },
    maps,
  );
}

/**
 * A cart's contact: who its newest checkout capture names (phone, else email), else its customer
 * id, else its session's login. `legacy` is the contact a cart stored before captures were kept
 * with it had; it stands only when nothing else points anywhere.
 */
export function cartContact(
  cart: { capture: { phone?: string; email?: string } | null; customerId: number | null; sessionId: string | null },
  maps: LinkMaps,
  legacy: number | null = null,
): number | null {
  return (
    (cart.capture ? refContact(cart.capture, maps) : null) ??
    (cart.customerId !== null ? maps.byCustomer.get(cart.customerId) : undefined) ??
    (cart.sessionId !== null ? maps.bySession.get(cart.sessionId) : undefined) ??
    legacy
  );
}

/** An order's contact: by the phone, else email, else customer id its newest facts carry. */
export function orderContact(
  order: { phone: string | null; email: string | null; customerId: number | null },
  maps: LinkMaps,
): number | null {
  return refContact(
    {
      ...(order.phone ? { phone: order.phone } : {}),
      ...(order.email ? { email: order.email } : {}),
      ...(order.customerId ? { customerId: order.customerId } : {}),
    },
    maps,
  );
}

/**
 * The contact an email or customer id points at: of the contacts holding it, the one that got it
 * from the newest event; between two that got it from the same event (a login by email gives its
 * customer id to every contact with that email), or from none (values stored before stamps were
 * kept, which lose to any stamped one), the lowest phone.
 */
export function holderOf(holders: ReadonlyArray<{ id: number; phone: string; stamp: Stamp | null }>): number | null {
  let best: { id: number; phone: string; stamp: Stamp | null } | undefined;
  for (const h of holders) {
    const order = !best
      ? 1
      : h.stamp && best.stamp
        ? compareStamps(h.stamp, best.stamp)
        : h.stamp
          ? 1
          : best.stamp
            ? -1
            : 0;
    if (!best || order > 0 || (order === 0 && h.phone < best.phone)) best = h;
  }
  return best?.id ?? null;
}
