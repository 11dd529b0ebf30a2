import { cartContact, holderOf, nudgeContact, refContact, viewContact, type LinkMaps } from '../../src/ingest/links';

const maps: LinkMaps = {
  byPhone: new Map([['+919812345678', 1]]),
  byEmail: new Map([['anna@example.com', 2]]),
  byCustomer: new Map([[77, 3]]),
  bySession: new Map([['s1', 4]]),
  byBrowser: new Map([['ref-anna-0000000001', 5]]),
};
const stamp = (iso: string, eventId: string) => ({ at: new Date(iso), eventId });

describe('which contact a row belongs to', () => {
  it('follows a reference by phone, else email, else customer id: the first that points at a contact', () => {
    expect(refContact({ phone: '+919812345678', email: 'anna@example.com' }, maps)).toBe(1);
    expect(refContact({ phone: '+919800000000', email: 'anna@example.com' }, maps)).toBe(2);
    expect(refContact({ email: 'nobody@example.com', customerId: 77 }, maps)).toBe(3);
    expect(refContact({ email: 'nobody@example.com' }, maps)).toBeNull();
  });

  it("links a view by its customer id, else its session's login, else its known-browser reference", () => {
    const ref = 'ref-anna-0000000001';
    expect(viewContact({ customerId: 77, sessionId: 's1', contactRef: ref }, maps)).toBe(3);
    expect(viewContact({ customerId: 78, sessionId: 's1', contactRef: ref }, maps)).toBe(4);
    expect(viewContact({ customerId: null, sessionId: 's2', contactRef: ref }, maps)).toBe(5);
    expect(viewContact({ customerId: null, sessionId: 's2', contactRef: 'ref-unknown-000000001' }, maps)).toBeNull();
    expect(viewContact({ customerId: null, sessionId: 's2', contactRef: null }, maps)).toBeNull();
  });

  it('links a nudge by the phone, else the email it went to', () => {
    expect(nudgeContact({ phone: null, email: 'anna@example.com' }, maps)).toBe(2);
    expect(nudgeContact({ phone: '+919812345678', email: 'anna@example.com' }, maps)).toBe(1);
  });

  it('links a cart by its capture, else its customer id, else its session, else a legacy contact', () => {
    const cart = { capture: { email: 'anna@example.com' }, customerId: 77, sessionId: 's1' };
    expect(cartContact(cart, maps)).toBe(2);
    expect(cartContact({ ...cart, capture: null }, maps)).toBe(3);
    expect(cartContact({ ...cart, capture: null, customerId: null }, maps)).toBe(4);
    expect(cartContact({ capture: null, customerId: null, sessionId: null }, maps, 9)).toBe(9);
  });

  it('gives an email or customer id to the contact that got it from the newest event', () => {
    const holders = [
      { id: 5, phone: '+919800000005', stamp: stamp('2026-11-21T10:00:00Z', 'b') },
      { id: 6, phone: '+919800000006', stamp: stamp('2026-11-21T10:05:00Z', 'a') },
      { id: 7, phone: '+919800000007', stamp: stamp('2026-11-21T10:05:00Z', 'c') },
      { id: 8, phone: '+919800000008', stamp: null },
    ];
    expect(holderOf(holders)).toBe(7);
    expect(holderOf([...holders].reverse())).toBe(7);
    // The same event gave it to two contacts, or no stamp says: the lowest phone, whatever the ids.
    const same = stamp('2026-11-21T10:05:00Z', 'c');
    const twins = [
      { id: 3, phone: '+919800000009', stamp: same },
      { id: 4, phone: '+919800000001', stamp: same },
    ];
    expect(holderOf(twins)).toBe(4);
    expect(holderOf([...twins].reverse())).toBe(4);
    expect(holderOf(twins.map((h) => ({ ...h, stamp: null })))).toBe(4);
    expect(holderOf([])).toBeNull();
  });
});
