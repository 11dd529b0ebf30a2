import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { createLogger } from '../../src/logger';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import { batch, event, minutesAgo } from './events';
import { signedPost, type Reply } from './http';

/** Shoppers reported so far by this test file: each has a phone and an order number of their own. */
let n = 0;

export interface Shopper {
  phone: string;
  email: string;
  firstName: string;
  lastName: string;
  /** The street typed in the checkout's address forms. */
  street: string;
  consentText: string;
  cartKey: string;
  emailOnlyCartKey: string;
  sessionId: string;
  orderId: number;
  events: string;
}

/**
 * A consenting shopper as the plugin reports them: consent with its own exact text, a cart with
 * their contact (email typed in mixed case), a browsing session, a login, a paid order from last
 * month, an email reminder, and a second cart whose checkout gave only their email (the sidecar
 * links it to them by that email).
 */
export async function reportShopper(base: string): Promise<Shopper> {
  n++;
  const tag = randomBytes(4).toString('hex');
  const s = {
    phone: `+9198765${String(43000 + n).padStart(5, '0')}`,
    email: `zelda.${tag}@example.com`,
    firstName: `Zelda${tag}`,
    lastName: `Quill${tag}`,
    street: `${n} Lantern Lane ${tag}`,
    consentText: `Send me updates about my cart on WhatsApp (${tag}). Reply STOP any time.`,
    cartKey: `cart-${tag}`,
    emailOnlyCartKey: `guest-cart-${tag}`,
    sessionId: `sess-${tag}`,
    orderId: 5000 + n,
  };
  const customerId = 700 + n;
  const now = new Date().toISOString();
  const events = batch(
    event('consent.granted', { phone: s.phone, email: s.email, text: s.consentText, text_version: 3 }, now),
    event('cart.updated', { cart_key: s.cartKey, session_id: s.sessionId, customer_id: customerId }, now),
    event(
      'checkout.contact_captured',
      {
        cart_key: s.cartKey,
        phone: s.phone,
        email: s.email.toUpperCase(),
        first_name: s.firstName,
        last_name: s.lastName,
        billing: { first_name: s.firstName, last_name: s.lastName, address_1: s.street, city: 'Pune', phone: s.phone },
        shipping: { first_name: s.firstName, last_name: s.lastName, address_1: s.street, city: 'Pune', phone: s.phone },
      },
      now,
    ),
    event('product.viewed', { session_id: s.sessionId, customer_id: customerId }, now),
    event(
      'customer.identified',
      { session_id: s.sessionId, customer_id: customerId, phone: s.phone, email: s.email },
      now,
    ),
    event(
      'order.paid',
      { order_id: s.orderId, cart_key: `old-${tag}`, customer_id: customerId, phone: s.phone, email: s.email },
      minutesAgo(30 * 24 * 60),
    ),
    event('channel.sent', { email: s.email, subject: { kind: 'cart', id: s.cartKey } }, minutesAgo(180)),
    event('cart.updated', { cart_key: s.emailOnlyCartKey, session_id: `other-${tag}`, customer_id: undefined }, now),
    event(
      'checkout.contact_captured',
      {
        cart_key: s.emailOnlyCartKey,
        email: s.email,
        phone: undefined,
        last_name: undefined,
        billing: undefined,
        shipping: undefined,
      },
      now,
    ),
  );
  const reply = await signedPost(base, '/v1/events', events);
  expect(reply).toMatchObject({ status: 200, body: { accepted: 9 } });
  return { ...s, events };
}

/** The values that identify a shopper; after erasure none may be found in any column of any table. */
export const needles = (s: Shopper) => [
  s.phone,
  s.phone.slice(1),
  s.email,
  s.firstName,
  s.lastName,
  s.street,
  s.cartKey,
  s.emailOnlyCartKey,
  s.sessionId,
];

/** The data of the export items of one group, as name → value objects. */
export function group(reply: Reply, groupId: string): Array<Record<string, string>> {
  return (reply.body.items as Array<{ group_id: string; data: Array<{ name: string; value: string }> }>)
    .filter((item) => item.group_id === groupId)
    .map((item) => Object.fromEntries(item.data.map((d) => [d.name, d.value])));
}

/** A dispatcher sending through a fresh fake Cloud API, its clock at `now`; stop both when done. */
export async function fakeDispatcher(db: Db, now: () => Date): Promise<{ fake: FakeCloudApi; dispatcher: Dispatcher }> {
  const fake = createFakeCloudApi({ accessToken: 'privacy-token', appSecret: 'privacy-app-secret' });
  const { url } = await fake.listen();
  const provider = createCloudProvider({
    apiUrl: url,
    apiVersion: 'v24.0',
    accessToken: 'privacy-token',
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    timeoutMs: 2000,
  });
  return { fake, dispatcher: new Dispatcher({ db, provider, logger: createLogger('silent'), idleMs: 20, now }) };
}
