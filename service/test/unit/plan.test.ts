import type { StoreEvent } from '@cartback/shared';
import { dedupeBatch, planBatch } from '../../src/ingest/plan';
import { event } from '../support/events';

const now = new Date('2026-11-22T00:00:00Z');

describe('planning a batch', () => {
  it('treats ids case-insensitively and keeps the first of a repeated id', () => {
    const first = event('cart.emptied');
    const again = { ...first, id: first.id.toUpperCase() };
    const { unique, repeated } = dedupeBatch([first, again, event('cart.emptied')]);
    expect(unique).toHaveLength(2);
    expect(repeated).toBe(1);
  });

  it('keeps only the newest snapshot of each cart', () => {
    const older = event('cart.updated', {}, '2026-11-21T10:00:00Z');
    const newer = event('cart.emptied', {}, '2026-11-21T10:05:00Z');
    const plan = planBatch([newer, older], now);
    expect(plan.cartSnapshots).toHaveLength(1);
    expect(plan.cartSnapshots[0]).toMatchObject({ eventId: newer.id, hasContent: false });
  });

  it('merges what several events say about one phone, the newest value winning', () => {
    const events: StoreEvent[] = [
      event('checkout.contact_captured', { first_name: 'Anna', email: 'OLD@example.com' }, '2026-11-21T10:00:00Z'),
      event('consent.granted', { email: 'New@Example.com ' }, '2026-11-21T10:01:00Z'),
      event('customer.identified', { email: undefined }, '2026-11-21T09:00:00Z'),
    ];
    const { contacts } = planBatch(events, now);
    const [captured, consent, login] = events.map((e) => ({ at: new Date(e.occurred_at), eventId: e.id }));
    expect(contacts).toEqual([
      {
        phone: '+919812345678',
        email: { ...consent, value: 'new@example.com' },
        firstName: { ...captured, value: 'Anna' },
        customerId: { ...login, value: 7 },
        country: { ...captured, value: 'IN' },
        at: new Date('2026-11-21T10:01:00Z'),
      },
    ]);
    // The same, whatever order the events come in.
    expect(planBatch([...events].reverse(), now).contacts).toEqual(contacts);
  });

  it("keeps a browser's newest link per reference, its phone and email as contact facts, and a view's reference", () => {
    const ref = '3f6c2a9d1e8b4c7a9f0e1d2c3b4a5968';
    const older = event('browser.linked', { phone: '+919800000001', email: 'Old@Example.com' }, '2026-11-21T10:00:00Z');
    const newer = event('browser.linked', { email: 'Anna@Example.com' }, '2026-11-21T10:05:00Z');
    const view = event('product.viewed', { customer_id: undefined }, '2026-11-21T09:00:00Z');
    const plan = planBatch([newer, view, older], now);
    expect(plan.browserLinks).toEqual([
      {
        at: new Date('2026-11-21T10:05:00Z'),
        eventId: newer.id,
        contactRef: ref,
        phone: '+919812345678',
        email: 'anna@example.com',
      },
    ]);
    expect(plan.contacts.map((c) => [c.phone, c.email?.value])).toEqual([
      ['+919800000001', 'old@example.com'],
      ['+919812345678', 'anna@example.com'],
    ]);
    expect(plan.productViews).toEqual([expect.objectContaining({ contactRef: ref, customerId: null })]);
  });

  it('counts an event stamped in the future (a fast store clock) as happening when it arrived', () => {
    const ahead = event('consent.granted', {}, '2026-11-22T00:05:00Z');
    const [entry] = planBatch([ahead], now).consents;
    expect(entry?.at).toEqual(now);
    const [past] = planBatch([event('consent.granted', {}, '2026-11-21T23:00:00Z')], now).consents;
    expect(past?.at).toEqual(new Date('2026-11-21T23:00:00Z'));
  });

  it('records consent with its scope, source, exact text and version', () => {
    const granted = event('consent.granted');
    const [entry] = planBatch([granted], now).consents;
    expect(entry).toMatchObject({
      action: 'granted',
      scope: 'marketing',
      source: 'checkout_block',
      text: granted.data.text,
      textVersion: 1,
    });
  });
});
