import type { StoreEvent } from '@cartback/shared';
import { ERASED_PAYLOAD } from '../../src/privacy/sql/inbound-events';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';

/**
 * Known browsers and pay links through `POST /v1/events`: a product view carrying a known
 * browser's reference is the contact's whose `browser.linked` named it, whichever came first; a
 * login beats the cookie; erasure unlinks the reference; an order keeps the pay link of its newest
 * report. (The same facts, order-independent at scale: order-tolerance.test.ts.)
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

const viewLink = async (eventId: string) =>
  (await t.db.selectFrom('product_views').select('contact_id').where('event_id', '=', eventId).executeTakeFirst())
    ?.contact_id;

const linked = (ref: string, phone: string, minute: number, email?: string) =>
  event('browser.linked', { contact_ref: ref, phone, email, via: 'consent' }, at(minute));
const view = (ref: string, session: string, minute: number) =>
  event('product.viewed', { contact_ref: ref, session_id: session, customer_id: undefined }, at(minute));

describe('a view from a known browser', () => {
  it('is linked to the contact when its browser.linked arrives after it, and at once when before', async () => {
    const ref = 'kb-ref-before-0000000001';
    const phone = '+919811100001';
    const early = view(ref, 'kb-session-1', 1);
    await post(early);
    expect(await viewLink(early.id)).toBeNull();
    await post(linked(ref, phone, 5, 'kb1@example.com'));
    const contactId = await contactOf(phone);
    expect(contactId).toBeDefined();
    expect(await viewLink(early.id)).toBe(contactId);
    const later = view(ref, 'kb-session-1b', 9);
    await post(later);
    expect(await viewLink(later.id)).toBe(contactId);
    expect(
      await t.db.selectFrom('product_views').select('contact_ref').where('event_id', '=', later.id).executeTakeFirst(),
    ).toEqual({ contact_ref: ref });
  });

  it('follows the newest browser.linked of a reference; an older one arriving late changes nothing', async () => {
    const ref = 'kb-ref-newest-000000001';
    const [first, second] = ['+919811100002', '+919811100003'];
    const v = view(ref, 'kb-session-2', 1);
    await post(linked(ref, second, 20), v);
    await post(linked(ref, first, 10));
    expect(await viewLink(v.id)).toBe(await contactOf(second));
    await post(linked(ref, first, 30));
    expect(await viewLink(v.id)).toBe(await contactOf(first));
  });

  it("is the logged-in shopper's when its session's login names someone else, whichever came first", async () => {
    const ref = 'kb-ref-login-0000000001';
    const [owner, other] = ['+919811100004', '+919811100005'];
    const session = 'kb-session-login';
    const login = event('customer.identified', { session_id: session, customer_id: 8801, phone: other }, at(3));
    const v = view(ref, session, 4);
    await post(linked(ref, owner, 1), v);
    expect(await viewLink(v.id)).toBe(await contactOf(owner));
    await post(login);
    expect(await viewLink(v.id)).toBe(await contactOf(other));
    // The other way round: login first, then the view from the known browser.
    const next = view(ref, session, 6);
    await post(next);
    expect(await viewLink(next.id)).toBe(await contactOf(other));
  });
});

describe('erasure', () => {
  it("deletes the contact's browser keys and views: an old cookie's views tie to no one, a new opt-in links again", async () => {
    const ref = 'kb-ref-erased-000000001';
    const phone = '+919811100006';
    const before = view(ref, 'kb-session-erase', 2);
    const link = linked(ref, phone, 1, 'kb6@example.com');
    await post(link, before);
    expect(await viewLink(before.id)).toBe(await contactOf(phone));

    const reply = await signedPost(t.base, '/v1/admin/privacy/erase', JSON.stringify({ phone }));
    expect(reply.status).toBe(200);
    expect(await contactOf(phone)).toBeUndefined();
    expect(
      await t.db
        .selectFrom('contact_keys')
        .selectAll()
        .where('kind', '=', 'browser')
        .where('value', '=', ref)
        .execute(),
    ).toEqual([]);
    expect(await viewLink(before.id)).toBeUndefined();
    const payloads = await t.db
      .selectFrom('inbound_events')
      .select('payload')
      .where('event_id', 'in', [link.id, before.id])
      .execute();
    expect(payloads.map((p) => p.payload)).toEqual([ERASED_PAYLOAD, ERASED_PAYLOAD]);

    // A view from the old cookie after the erasure belongs to nobody, and creates no contact.
    const after = view(ref, 'kb-session-erase', 10);
    await post(after);
    expect(await viewLink(after.id)).toBeNull();
    expect(await contactOf(phone)).toBeUndefined();

    // A new opt-in gets a new reference, and its views are the new contact's.
    const fresh = 'kb-ref-fresh-0000000001';
    const again = view(fresh, 'kb-session-erase', 12);
    await post(linked(fresh, phone, 11), again);
    expect(await viewLink(again.id)).toBe(await contactOf(phone));
    expect(await viewLink(after.id)).toBeNull();
  });
});

describe("an order's pay link", () => {
  const payUrl = (key: string) =>
    `https://shop.example/checkout/order-pay/9101/?pay_for_order=true&key=wc_order_${key}`;
  const report = (type: 'order.created' | 'order.payment_failed' | 'order.paid', minute: number, url?: string) =>
    event(
      type,
      {
        order_id: 9101,
        phone: '+919811100007',
        status: { 'order.created': 'pending', 'order.payment_failed': 'failed', 'order.paid': 'processing' }[type],
        pay_url: url,
      },
      at(minute),
    );
  const stored = async () =>
    (await t.db.selectFrom('orders').select('pay_url').where('order_id', '=', 9101).executeTakeFirstOrThrow()).pay_url;

  it("is the newest report's: a newer one wins, an older late one does not, a paid one clears it, erasure removes it", async () => {
    await post(report('order.payment_failed', 5, payUrl('b')));
    await post(report('order.created', 1, payUrl('a')));
    expect(await stored()).toBe(payUrl('b'));
    await post(report('order.paid', 9));
    expect(await stored()).toBeNull();
    await post(report('order.payment_failed', 7, payUrl('c')));
    expect(await stored()).toBeNull();

    const other = { ...report('order.created', 20, payUrl('d')) };
    other.data = { ...other.data, order_id: 9102, phone: '+919811100008' };
    await post(other);
    expect(
      (await t.db.selectFrom('orders').select('pay_url').where('order_id', '=', 9102).executeTakeFirstOrThrow())
        .pay_url,
    ).toBe(payUrl('d'));
    const reply = await signedPost(t.base, '/v1/admin/privacy/erase', JSON.stringify({ phone: '+919811100008' }));
    expect(reply.status).toBe(200);
    expect(
      await t.db.selectFrom('orders').select(['pay_url', 'phone', 'status']).where('order_id', '=', 9102).execute(),
    ).toEqual([{ pay_url: null, phone: null, status: 'pending' }]);
  });
});
