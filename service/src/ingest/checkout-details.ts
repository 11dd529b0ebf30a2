import { CHECKOUT_ADDRESS_FIELDS, type CheckoutAddress, type ContactCapturedData } from '@cartback/shared';
import { isNewer, type Stamp } from './order';

/**
 * What a shopper typed at checkout, kept with their cart for the restore link: the contact
 * (phone, email, names, country) and the billing and shipping addresses. Each of the three parts
 * is decided on its own by "newest wins", so a capture that carries no addresses (an older plugin,
 * or a checkout that only posts the contact) never erases addresses captured before it, and the
 * result is the same whatever order the captures arrive in. Pure: no IO, no clock.
 */

export interface CheckoutContact {
  phone?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  country?: string;
}

export interface CheckoutDetails {
  contact: CheckoutContact | null;
  billing: CheckoutAddress | null;
  shipping: CheckoutAddress | null;
}

const PARTS = ['contact', 'billing', 'shipping'] as const;
type Part = (typeof PARTS)[number];

/** One part as it was captured, with the capture's stamp. */
interface StampedPart<T> extends Stamp {
  value: T;
}

/** The newest capture of each part, for one cart (within a batch, or as stored). */
export type CheckoutFacts = { [P in Part]?: StampedPart<NonNullable<CheckoutDetails[P]>> };

/** How the parts are stored in `carts.checkout_details` (JSON): each with its stamp. */
type StoredPart<T> = { at: string; event_id: string; value: T };
type StoredDetails = { [P in Part]?: StoredPart<NonNullable<CheckoutDetails[P]>> };

/** The fields that were given (non-empty), trimmed. */
function cleanAddress(address: CheckoutAddress | undefined): CheckoutAddress | undefined {
  if (!address) return undefined;
  const clean: CheckoutAddress = {};
  for (const field of CHECKOUT_ADDRESS_FIELDS) {
    const value = address[field]?.trim();
    if (value) clean[field] = value;
  }
  return clean;
}

/** The parts one capture carries. An address the checkout sent empty is captured as empty (the shopper cleared it). */
export function capturedFacts(data: ContactCapturedData, email: string | undefined, stamp: Stamp): CheckoutFacts {
  const contact: CheckoutContact = {};
  if (data.phone) contact.phone = data.phone;
  if (email) contact.email = email;
  const firstName = data.first_name?.trim();
  if (firstName) contact.first_name = firstName;
  const lastName = data.last_name?.trim();
  if (lastName) contact.last_name = lastName;
  if (data.country) contact.country = data.country;
  const facts: CheckoutFacts = { contact: { ...stamp, value: contact } };
  const billing = cleanAddress(data.billing);
  if (billing) facts.billing = { ...stamp, value: billing };
  const shipping = cleanAddress(data.shipping);
  if (shipping) facts.shipping = { ...stamp, value: shipping };
  return facts;
}

/** Joins two sets of facts about one cart: per part, the newer wins (commutative and associative). */
export function joinFacts(a: CheckoutFacts, b: CheckoutFacts): CheckoutFacts {
  const joined: CheckoutFacts = { ...a };
  for (const part of PARTS) {
    const candidate = b[part];
    const current = joined[part];
    if (candidate && (!current || isNewer(candidate, current))) {
      (joined as Record<Part, unknown>)[part] = candidate;
    }
  }
  return joined;
}

function parseStored(json: string | null): CheckoutFacts {
  if (!json) return {};
  let stored: StoredDetails;
  try {
    stored = JSON.parse(json) as StoredDetails;
  } catch {
    return {};
  }
  const facts: CheckoutFacts = {};
  for (const part of PARTS) {
    const p = stored?.[part];
    if (p && typeof p.at === 'string' && typeof p.event_id === 'string' && p.value && typeof p.value === 'object') {
      (facts as Record<Part, unknown>)[part] = { at: new Date(p.at), eventId: p.event_id, value: p.value };
    }
  }
  return facts;
}

function serialize(facts: CheckoutFacts): string | null {
  const stored: StoredDetails = {};
  for (const part of PARTS) {
    const p = facts[part];
    if (p) (stored as Record<Part, unknown>)[part] = { at: p.at.toISOString(), event_id: p.eventId, value: p.value };
  }
  return Object.keys(stored).length > 0 ? JSON.stringify(stored) : null;
}

/**
 * The `checkout_details` column after this batch's captures: the stored JSON when nothing newer
 * came (the same string, so the caller can tell nothing changed), else the merged JSON.
 */
export function mergeCheckoutDetails(stored: string | null, batch: CheckoutFacts | undefined): string | null {
  if (!batch) return stored;
  const current = parseStored(stored);
  const merged = joinFacts(current, batch);
  const changed = PARTS.some((part) => merged[part] !== current[part]);
  return changed ? serialize(merged) : stored;
}

/** The details as the restore answer and the privacy export show them (no stamps). */
export function readCheckoutDetails(stored: string | null): CheckoutDetails {
  const facts = parseStored(stored);
  return {
    contact: facts.contact?.value ?? null,
    billing: facts.billing?.value ?? null,
    shipping: facts.shipping?.value ?? null,
  };
}
