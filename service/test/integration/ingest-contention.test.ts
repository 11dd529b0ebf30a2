import type { StoreEvent } from '@cartback/shared';
import * as transaction from '../../src/db/transaction';
import { ingestBatches } from '../../src/ingest/ingest';
import { batch, event, fixture } from '../support/events';
import { signedPost, useTestApp } from '../support/http';

/**
 * Many batches at once about the same shoppers, each listing them in a different order: every
 * batch creates or updates the same contacts (by phone), links logins by email (customer ids,
 * sessions' carts and product views), and touches the same carts and orders. Before the batch
 * transaction took its row locks in one order, such batches deadlocked each other.
 */
const t = useTestApp();
const original = transaction.withTransaction;

const SHOPPERS = 24;
const REQUESTS = 24;
/** Shoppers a request is about (each with 6 events), overlapping other requests' differently. */
const PER_SHOPPER = 6;
const TOUCHED = 8;
const touched = (r: number) => Array.from({ length: TOUCHED }, (_, k) => (r * 5 + k * 7) % SHOPPERS);
/** The last request about shopper i: its facts are the newest. */
const lastAbout = (i: number) =>
  Math.max(...Array.from({ length: REQUESTS }, (_, r) => (touched(r).includes(i) ? r : -1)));
/** New shoppers each request brings (one consent each), their phones among the others'. */
const NEWCOMERS = 4;
const PER_REQUEST = TOUCHED * PER_SHOPPER + NEWCOMERS;
const newcomerPhone = (r: number, k: number) =>
  `+919876${String(touched(r)[k]).padStart(2, '0')}${String(r).padStart(2, '0')}${k}1`;

const shopper = (i: number) => ({
  phone: `+919876${String(i).padStart(2, '0')}0000`,
  email: `shopper${i}@example.com`,
  firstName: `Shopper${i}`,
  customerId: 500 + i,
  cartKey: `contended-cart-${i}`,
  sessionId: `contended-session-${i}`,
  orderId: 7000 + i,
});

/** Request r's events: its shoppers' in an order of its own, and newcomers; newer than r − 1's. */
function request(r: number, start: number): StoreEvent[] {
  const order = touched(r);
  if (r % 2) order.reverse();
  const line = { ...fixture('cart.updated').data.lines[0]!, quantity: r + 1 };
  const newcomers: StoreEvent[] = Array.from({ length: NEWCOMERS }, (_, k) =>
    event(
      'consent.granted',
      { phone: newcomerPhone(r, k), email: `newcomer-${r}-${k}@example.com` },
      new Date(start + r * 60_000).toISOString(),
    ),
  );
  return newcomers.concat(
    order.flatMap((i, k): StoreEvent[] => {
      const s = shopper(i);
      const at = new Date(start + r * 60_000 + k * 100).toISOString();
      return [
        event(
          'checkout.contact_captured',
          { cart_key: s.cartKey, phone: s.phone, email: s.email, first_name: s.firstName },
          at,
        ),
        event('consent.granted', { phone: s.phone, email: s.email }, at),
        event(
          'cart.updated',
          { cart_key: s.cartKey, session_id: s.sessionId, customer_id: undefined, lines: [line] },
          at,
        ),
        event('product.viewed', { session_id: s.sessionId, customer_id: undefined }, at),
        // A login known by its email only: its contact is found, not upserted.
        event(
          'customer.identified',
          { session_id: s.sessionId, customer_id: s.customerId, phone: undefined, email: s.email },
          at,
        ),
        event(
          'order.status_changed',
          {
            order_id: s.orderId,
            cart_key: s.cartKey,
            customer_id: undefined,
            phone: s.phone,
            email: s.email,
            status: `status-${r}`,
          },
          at,
        ),
      ];
    }),
  );
}

async function expectFacts(storeId: number): Promise<void> {
  const count = async (
    table: 'inbound_events' | 'consent_ledger' | 'product_views' | 'contacts' | 'carts' | 'orders',
  ) =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('store_id', '=', storeId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  expect(await count('inbound_events')).toBe(REQUESTS * PER_REQUEST);
  expect(await count('consent_ledger')).toBe(REQUESTS * (TOUCHED + NEWCOMERS));
  expect(await count('product_views')).toBe(REQUESTS * TOUCHED);
  expect(await count('contacts')).toBe(SHOPPERS + REQUESTS * NEWCOMERS);
  expect(await count('carts')).toBe(SHOPPERS);
  expect(await count('orders')).toBe(SHOPPERS);

  for (let i = 0; i < SHOPPERS; i++) {
    const s = shopper(i);
    const contact = await t.db
      .selectFrom('contacts')
      .select(['id', 'email', 'first_name', 'customer_id'])
      .where('store_id', '=', storeId)
      .where('phone', '=', s.phone)
      .executeTakeFirstOrThrow();
    expect(contact).toEqual({ id: contact.id, email: s.email, first_name: s.firstName, customer_id: s.customerId });
    const cart = await t.db
      .selectFrom('carts')
      .select(['contact_id', 'session_id', 'lines'])
      .where('store_id', '=', storeId)
      .where('cart_key', '=', s.cartKey)
      .executeTakeFirstOrThrow();
    expect(cart.contact_id).toBe(contact.id);
    expect(cart.session_id).toBe(s.sessionId);
    // The newest snapshot wins, whichever request committed last: the last request's quantity.
    expect(JSON.parse(cart.lines ?? '[]')).toEqual([expect.objectContaining({ quantity: lastAbout(i) + 1 })]);
    const views = await t.db
      .selectFrom('product_views')
      .select('contact_id')
      .distinct()
      .where('store_id', '=', storeId)
      .where('session_id', '=', s.sessionId)
      .execute();
    expect(views).toEqual([{ contact_id: contact.id }]);
    const order = await t.db
      .selectFrom('orders')
      .select(['contact_id', 'status'])
      .where('store_id', '=', storeId)
      .where('order_id', '=', s.orderId)
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ contact_id: contact.id, status: `status-${lastAbout(i)}` });
  }
}

it('answers every one of many concurrent overlapping requests with 200 and applies each event once', async () => {
  const start = Date.now() - 2 * 3_600_000;
  // A few of the contacts exist already; the rest are created by the racing requests.
  const seed = Array.from({ length: SHOPPERS / 2 }, (_, i) =>
    event(
      'consent.granted',
      { phone: shopper(2 * i).phone, email: shopper(2 * i).email },
      new Date(start).toISOString(),
    ),
  );
  const seeded = await signedPost(t.base, '/v1/events', batch(...seed));
  expect(seeded.body).toEqual({ accepted: SHOPPERS / 2, duplicates: 0 });
  await t.db.deleteFrom('inbound_events').execute();
  await t.db.deleteFrom('consent_ledger').execute();

  const requests = Array.from({ length: REQUESTS }, (_, r) => request(r, start));
  const replies = await Promise.all(requests.map((events) => signedPost(t.base, '/v1/events', batch(...events))));

  expect(replies.map((r) => r.status)).toEqual(Array(REQUESTS).fill(200));
  expect(replies.map((r) => r.body)).toEqual(Array(REQUESTS).fill({ accepted: PER_REQUEST, duplicates: 0 }));
  await expectFacts(1);
}, 60_000);

it('keeps batch transactions right when many run at once (past the request queue, up to the pool size)', async () => {
  const storeId = 2;
  const start = Date.now() - 2 * 3_600_000;
  const requests = Array.from({ length: REQUESTS }, (_, r) => request(r, start));
  // No second attempts here: the locks alone must keep these transactions from deadlocking.
  const once = jest.spyOn(transaction, 'withTransaction');
  once.mockImplementation((db, work) => original(db, work, { attempts: 1 }));
  // Straight into the transaction, two at a time per call, 12 calls in flight: no group commit to serialise them.
  const results = await Promise.all(
    Array.from({ length: REQUESTS / 2 }, (_, c) =>
      ingestBatches(t.db, storeId, [requests[c]!, requests[c + REQUESTS / 2]!]),
    ),
  );
  expect(results.flat().map((r) => [r.accepted, r.duplicates])).toEqual(Array(REQUESTS).fill([PER_REQUEST, 0]));
  expect(once).toHaveBeenCalledTimes(REQUESTS / 2);
  once.mockRestore();
  await expectFacts(storeId);
}, 60_000);
