import { foldContact, nextContact, settleContact, type ContactRow } from '../../src/ingest/contact-facts';
import type { ContactFacts } from '../../src/ingest/plan';

const now = new Date('2026-11-22T00:00:00Z');
const stamp = (minute: number, eventId = `e${minute}`) => ({
  at: new Date(Date.UTC(2026, 10, 21, 10, minute)),
  eventId,
});

function contact(): ContactRow {
  return {
    id: 1,
    store_id: 1,
    phone: '+919812345678',
    email: null,
    first_name: null,
    customer_id: null,
    locale: null,
    time_zone: null,
    country: null,
    attributes_at: stamp(0).at,
    stamps: null,
    created_at: now,
    updated_at: now,
  };
}

const facts = (minute: number, values: { email?: string; customerId?: number; firstName?: string }): ContactFacts => ({
  phone: '+919812345678',
  ...(values.email ? { email: { ...stamp(minute), value: values.email } } : {}),
  ...(values.customerId ? { customerId: { ...stamp(minute), value: values.customerId } } : {}),
  ...(values.firstName ? { firstName: { ...stamp(minute), value: values.firstName } } : {}),
  at: stamp(minute).at,
});

function fold(batches: ContactFacts[]): ContactRow {
  return batches.reduce((row, f) => nextContact(row, f, now)?.row ?? row, contact());
}

describe('a contact, attribute by attribute', () => {
  const batches = [
    facts(1, { customerId: 5, firstName: 'Anna' }),
    facts(3, { email: 'anna@example.com' }),
    facts(2, { customerId: 7 }),
  ];

  it('keeps for each attribute the newest event that carried it, whatever order they arrive in', () => {
    const expected = fold(batches);
    expect(expected).toMatchObject({ customer_id: 7, email: 'anna@example.com', first_name: 'Anna' });
    expect(expected.attributes_at).toEqual(stamp(3).at);
    for (const order of [
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]) {
      const row = fold(order.map((i) => batches[i]!));
      expect({ ...row, updated_at: null }).toEqual({ ...expected, updated_at: null });
    }
  });

  it('reports the emails and customer ids that moved, and nothing for facts already known', () => {
    const row = fold(batches.slice(0, 2));
    const change = nextContact(row, batches[2]!, now);
    expect(change).toMatchObject({ customerIds: [5, 7], emails: [] });
    expect(nextContact(fold(batches), batches[1]!, now)).toBeNull();
  });

  it("takes a login's customer id by email when it is newer than the contact's own, and gives it back when not", () => {
    const own = fold([facts(2, { customerId: 5, email: 'anna@example.com' })]);
    const newerLogin = { ...stamp(4), value: 9 };
    const settled = settleContact(own, foldContact(own, undefined), newerLogin, now);
    expect(settled).toMatchObject({ row: { customer_id: 9 }, customerIds: [5, 9] });
    const later = settled!.row;
    const ownAgain = settleContact(later, foldContact(later, facts(6, { customerId: 11 })), newerLogin, now);
    expect(ownAgain?.row.customer_id).toBe(11);
    // Without the login (its email moved elsewhere), the contact's own customer id comes back.
    expect(settleContact(later, later, undefined, now)?.row.customer_id).toBe(5);
  });
});
