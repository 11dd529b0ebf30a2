import type { StoreEvent } from '@cartback/shared';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';

/**
 * The examples behind the order-tolerance property (order-tolerance.test.ts): the event that
 * says who a shopper is may come before or after what they did, and a late event may fall
 * inside what is already stored; the facts come out the same.
 */
const t = useTestApp();
const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString();

async function post(...events: StoreEvent[]): Promise<void> {
  const reply = await signedPost(t.base, '/v1/events', batch(...events));
  expect(reply.status).toBe(200);
}

async function contactOf(phone: string): Promise<number | undefined> {
  const row = await t.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirst();
  return row?.id;
}

const linkOf = async (table: 'product_views' | 'channel_nudges', eventId: string) =>
  (await t.db.selectFrom(table).select('contact_id').where('event_id', '=', eventId).executeTakeFirstOrThrow())
    .contact_id;

describe('who a view or a nudge belongs to', () => {
  const shopper = (n: number) => ({
    phone: `+91981234560${n}`,
    email: `shopper${n}@example.com`,
    session: `late-links-session-${n}`,
  });
  const activity = (s: ReturnType<typeof shopper>) => [
    event('product.viewed', { session_id: s.session, customer_id: undefined }, at(1)),
    event('channel.sent', { email: s.email, phone: undefined }, at(2)),
  ];
  const login = (s: ReturnType<typeof shopper>) =>
    event('customer.identified', { session_id: s.session, customer_id: 70, phone: s.phone, email: s.email }, at(5));

  it('is the shopper the later login names, linked when the login arrives', async () => {
    const s = shopper(1);
    const [view, nudge] = activity(s) as [StoreEvent, StoreEvent];
    await post(view, nudge);
    expect(await linkOf('product_views', view.id)).toBeNull();
    expect(await linkOf('channel_nudges', nudge.id)).toBeNull();
    await post(login(s));
    const contactId = await contactOf(s.phone);
    expect(contactId).toBeDefined();
    expect(await linkOf('product_views', view.id)).toBe(contactId);
    expect(await linkOf('channel_nudges', nudge.id)).toBe(contactId);
  });

  it('is the same shopper when the login came first', async () => {
    const s = shopper(2);
    await post(login(s));
    const [view, nudge] = activity(s) as [StoreEvent, StoreEvent];
    await post(view, nudge);
    const contactId = await contactOf(s.phone);
    expect(await linkOf('product_views', view.id)).toBe(contactId);
    expect(await linkOf('channel_nudges', nudge.id)).toBe(contactId);
  });
});

describe('late events inside what is stored', () => {
  it("moves a cart's start to the first snapshot after an emptying that arrives late", async () => {
    const cart = { cart_key: 'late-links-cart', session_id: 'late-links-cart-session' };
    await post(event('cart.updated', cart, at(0)));
    await post(event('cart.updated', cart, at(30)), event('cart.updated', cart, at(40)));
    const startedAt = async () =>
      (
        await t.db
          .selectFrom('carts')
          .select('started_at')
          .where('cart_key', '=', cart.cart_key)
          .executeTakeFirstOrThrow()
      ).started_at;
    expect(await startedAt()).toEqual(new Date(at(0)));
    await post(event('cart.emptied', { cart_key: cart.cart_key }, at(20)));
    expect(await startedAt()).toEqual(new Date(at(30)));
  });

  it('gives a contact the customer id of its newest login, even when that login arrives after a newer event without one', async () => {
    const phone = '+919812345699';
    const identified = (customerId: number, minute: number) =>
      event('customer.identified', { session_id: `s-${customerId}`, customer_id: customerId, phone }, at(minute));
    await post(identified(5, 5));
    // A newer event about the contact that carries no customer id, then the newest login, late.
    await post(event('consent.granted', { phone, email: undefined }, at(20)));
    await post(identified(9, 10));
    const row = await t.db
      .selectFrom('contacts')
      .select('customer_id')
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(row.customer_id).toBe(9);
  });

  it('gives a login by email only its customer id to the contact with that email, before or after it has it', async () => {
    const customerOf = async (phone: string) =>
      (await t.db.selectFrom('contacts').select('customer_id').where('phone', '=', phone).executeTakeFirstOrThrow())
        .customer_id;
    const byEmail = (n: number, minute: number) =>
      event(
        'customer.identified',
        { session_id: `by-email-${n}`, customer_id: 800 + n, phone: undefined, email: `by-email-${n}@example.com` },
        at(minute),
      );
    const consent = (n: number, minute: number) =>
      event('consent.granted', { phone: `+91981234570${n}`, email: `by-email-${n}@example.com` }, at(minute));
    await post(byEmail(1, 5));
    await post(consent(1, 10));
    await post(consent(2, 10));
    await post(byEmail(2, 5));
    expect(await customerOf('+919812345701')).toBe(801);
    expect(await customerOf('+919812345702')).toBe(802);
  });
});
