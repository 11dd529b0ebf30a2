import type { StoreEvent } from '@cartback/shared';
import { countRows } from '../support/db';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';

const t = useTestApp();
const count = (table: string) => countRows(t.db, table);

/** 200 events about a few shoppers, carts and orders, so requests contend for the same rows. */
function pool(): StoreEvent[] {
  const phones = ['+919812345601', '+919812345602', '+919812345603', '+919812345604'];
  const start = Date.now() - 3_600_000;
  const at = (i: number) => new Date(start + i * 1000).toISOString();
  return Array.from({ length: 200 }, (_, i): StoreEvent => {
    const phone = phones[i % phones.length]!;
    const cart_key = `cart-${i % 5}`;
    switch (i % 5) {
      case 0:
        return event('consent.granted', { phone }, at(i));
      case 1:
        return event('product.viewed', {}, at(i));
      case 2:
        return event('checkout.contact_captured', { cart_key, phone }, at(i));
      case 3: {
        const line = { ...event('cart.updated').data.lines[0]!, quantity: 1 + i };
        return event('cart.updated', { cart_key, lines: [line] }, at(i));
      }
      default:
        return event('order.status_changed', { order_id: 9000 + (i % 3), phone, status: `s${i}` }, at(i));
    }
  });
}

it('applies every event exactly once when 20 concurrent requests carry overlapping ids', async () => {
  const events = pool();
  // Request r carries a window of 60 events starting at 10·r (wrapping), so each event is in
  // about six requests, in different company and different positions.
  const requests = Array.from({ length: 20 }, (_, r) => {
    const window = Array.from({ length: 60 }, (_, k) => events[(10 * r + k) % events.length]!);
    return r % 2 ? window.reverse() : window;
  });
  const replies = await Promise.all(requests.map((events) => signedPost(t.base, '/v1/events', batch(...events))));

  expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
  const accepted = replies.reduce((n, r) => n + r.body.accepted, 0);
  const duplicates = replies.reduce((n, r) => n + r.body.duplicates, 0);
  expect(accepted).toBe(events.length);
  expect(accepted + duplicates).toBe(20 * 60);

  const ofType = (type: string) => events.filter((e) => e.type === type).length;
  expect(await count('inbound_events')).toBe(events.length);
  expect(await count('consent_ledger')).toBe(ofType('consent.granted'));
  expect(await count('product_views')).toBe(ofType('product.viewed'));
  expect(await count('contacts')).toBe(4);

  // The newest snapshot of cart-3 is the last cart.updated for it in the pool: i = 198, quantity 199.
  const cart = await t.db
    .selectFrom('carts')
    .select('lines')
    .where('cart_key', '=', 'cart-3')
    .executeTakeFirstOrThrow();
  expect(JSON.parse(cart.lines ?? '[]')).toEqual([expect.objectContaining({ quantity: 199 })]);
  // Each order ends in the status of its newest event, however the requests interleaved.
  const orders = await t.db.selectFrom('orders').select(['order_id', 'status']).orderBy('order_id').execute();
  const newestStatus = (orderId: number) =>
    events
      .filter(
        (e): e is Extract<StoreEvent, { type: 'order.status_changed' }> =>
          e.type === 'order.status_changed' && e.data.order_id === orderId,
      )
      .at(-1)?.data.status;
  expect(orders).toEqual([9000, 9001, 9002].map((id) => ({ order_id: id, status: newestStatus(id) })));
});
