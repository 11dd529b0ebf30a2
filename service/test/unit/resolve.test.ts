import type { Identification } from '../../src/ingest/plan';
import { sessionLinks } from '../../src/ingest/resolve';
import type { ContactIndex } from '../../src/ingest/sql/contacts';

const index: ContactIndex = {
  byPhone: new Map([['+919812345678', 1]]),
  byEmail: new Map([['anna@example.com', 2]]),
  byCustomer: new Map([[77, 3]]),
};

const login = (sessionId: string, customerId: number, ref: Identification['ref']): Identification => ({
  at: new Date('2026-11-21T10:00:00Z'),
  eventId: `e-${sessionId}`,
  sessionId,
  customerId,
  ref,
});

describe('sessionLinks', () => {
  it("resolves each login's contact (phone, else email, else customer id) for its session and customer id", () => {
    const links = sessionLinks(
      [
        login('s1', 10, { phone: '+919812345678', email: 'anna@example.com' }),
        login('s2', 20, { email: 'anna@example.com' }),
        login('s3', 77, { customerId: 77 }),
        login('s4', 40, { email: 'nobody@example.com' }),
      ],
      index,
    );
    expect(links.contactBySession).toEqual(
      new Map([
        ['s1', 1],
        ['s2', 2],
        ['s3', 3],
      ]),
    );
    expect(links.customerByContact).toEqual(
      new Map([
        [1, 10],
        [2, 20],
        [3, 77],
      ]),
    );
  });

  it('keeps the later of two logins for one session or one contact', () => {
    const links = sessionLinks(
      [login('s1', 10, { email: 'anna@example.com' }), login('s1', 11, { email: 'anna@example.com' })],
      index,
    );
    expect(links.contactBySession).toEqual(new Map([['s1', 2]]));
    expect(links.customerByContact).toEqual(new Map([[2, 11]]));
  });
});
