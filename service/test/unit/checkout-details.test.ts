import type { ContactCapturedData, StoreEvent } from '@cartback/shared';
import { readCheckoutDetails } from '../../src/ingest/checkout-details';
import { nextCart, type CartRow } from '../../src/ingest/decide';
import type { LinkMaps } from '../../src/ingest/links';
import { planBatch } from '../../src/ingest/plan';
import { event } from '../support/events';

const now = new Date('2026-11-21T12:00:00Z');
const maps: LinkMaps = {
  byPhone: new Map([['+919812345678', 1]]),
  byEmail: new Map(),
  byCustomer: new Map(),
  bySession: new Map(),
  byBrowser: new Map(),
};
const home = { first_name: 'Anna', last_name: 'Sharma', address_1: '12 MG Road', city: 'Bengaluru', country: 'IN' };
const office = { ...home, company: 'Kurta Co', address_1: '1 Residency Road', postcode: '560025' };

const capture = (at: string, data: Partial<ContactCapturedData>) =>
  event('checkout.contact_captured', { cart_key: 'k', billing: undefined, shipping: undefined, ...data }, at);

function cart(): CartRow {
  return {
    store_id: 1,
    cart_key: 'k',
    status: null,
    contact_id: null,
    customer_id: null,
    session_id: null,
    email: null,
    currency: null,
    locale: null,
    subtotal: null,
    tax: null,
    shipping: null,
    discount: null,
    total: null,
    item_count: 0,
    lines: null,
    started_at: null,
    content_at: null,
    content_event_id: null,
    contact_at: null,
    contact_event_id: null,
    checkout_details: null,
    stamps: null,
    created_at: now,
    updated_at: now,
  };
}

/** Applies events to a cart as ingestion does: in batches, each batch planned then decided. */
function apply(row: CartRow, ...batches: StoreEvent[][]): CartRow {
  for (const events of batches) {
    const plan = planBatch(events, now);
    const facts = { link: plan.cartContacts[0], details: plan.cartDetails.get('k'), fields: plan.cartFields.get('k') };
    row = nextCart(row, facts, maps, now) ?? row;
  }
  return row;
}

describe('checkout details kept with a cart', () => {
  const first = capture('2026-11-21T10:00:00Z', { last_name: 'Sharma', billing: home, shipping: home });
  const later = capture('2026-11-21T10:05:00Z', { first_name: 'Ann', billing: office });
  const contactOnly = capture('2026-11-21T10:09:00Z', { first_name: 'Anna', last_name: undefined });

  it('keeps each part as last typed: a capture without addresses leaves the addresses captured before it', () => {
    const details = readCheckoutDetails(apply(cart(), [first], [later], [contactOnly]).checkout_details);
    expect(details).toEqual({
      contact: { phone: '+919812345678', email: 'anna@example.com', first_name: 'Anna', country: 'IN' },
      billing: office,
      shipping: home,
    });
  });

  it('ends the same whatever order the captures arrive in, one at a time or in one batch', () => {
    const expected = apply(cart(), [first], [later], [contactOnly]).checkout_details;
    expect(apply(cart(), [contactOnly], [later], [first]).checkout_details).toBe(expected);
    expect(apply(cart(), [later], [contactOnly, first]).checkout_details).toBe(expected);
    expect(apply(cart(), [contactOnly, first, later]).checkout_details).toBe(expected);
  });

  it('takes from a late, older capture only the part nothing newer has given, and a replay changes nothing', () => {
    const row = apply(cart(), [later], [contactOnly]);
    const late = readCheckoutDetails(apply(row, [first]).checkout_details);
    expect(late.shipping).toEqual(home);
    expect(late.billing).toEqual(office);
    expect(late.contact?.first_name).toBe('Anna');
    const settled = apply(row, [first]);
    const replay = planBatch([first, later, contactOnly], now);
    const facts = {
      link: replay.cartContacts[0],
      details: replay.cartDetails.get('k'),
      fields: replay.cartFields.get('k'),
    };
    expect(nextCart(settled, facts, maps, now)).toBeNull();
  });

  it('keeps only fields that were given, trimmed, and no stamps in what it reads back', () => {
    const typed = capture('2026-11-21T10:00:00Z', {
      billing: { first_name: ' Anna ', company: '', address_1: '12 MG Road', phone: '+919812345678' },
    });
    expect(readCheckoutDetails(apply(cart(), [typed]).checkout_details).billing).toEqual({
      first_name: 'Anna',
      address_1: '12 MG Road',
      phone: '+919812345678',
    });
    expect(readCheckoutDetails(null)).toEqual({ contact: null, billing: null, shipping: null });
    expect(readCheckoutDetails('not json')).toEqual({ contact: null, billing: null, shipping: null });
  });
});
