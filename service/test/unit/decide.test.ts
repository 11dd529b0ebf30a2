import type { CartUpdatedData, Line, OrderData, StoreEvent } from '@cartback/shared';
import { nextCart, nextOrder, type CartRow, type OrderRow } from '../../src/ingest/decide';
import type { LinkMaps } from '../../src/ingest/links';
import { planBatch, type OrderFact } from '../../src/ingest/plan';
import { event } from '../support/events';

const now = new Date('2026-11-21T12:00:00Z');
const line = (name: string, quantity = 1): Line => ({
  product_id: 1,
  name,
  quantity,
  unit_price: 1000,
  line_total: 1000 * quantity,
  url: 'https://shop.example/p',
});

function emptyCart(): CartRow {
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

const noLinks: LinkMaps = {
  byPhone: new Map(),
  byEmail: new Map(),
  byCustomer: new Map(),
  bySession: new Map(),
  byBrowser: new Map(),
};

/** A cart.updated (no lines: emptied by an update) at a time, with a fixed id. */
function updated(iso: string, id: string, lines: Line[], data: Partial<CartUpdatedData> = {}): StoreEvent {
  const total = lines.reduce((n, l) => n + l.line_total, 0);
  return {
    ...event('cart.updated', {
      cart_key: 'k',
      session_id: 's',
      currency: 'EUR',
      locale: 'de_DE',
      customer_id: undefined,
      totals: { subtotal: total, tax: 0, shipping: 0, discount: 0, total },
      lines,
      ...data,
    }),
    id,
    occurred_at: iso,
  };
}

function emptied(iso: string, id: string): StoreEvent {
  return { ...event('cart.emptied', { cart_key: 'k' }), id, occurred_at: iso };
}

/** Applies batches of events to a cart as ingestion does: each batch planned, then decided. */
function apply(row: CartRow, batches: StoreEvent[][], maps: LinkMaps = noLinks): CartRow {
  for (const events of batches) {
    const plan = planBatch(events, now);
    const facts = {
      snapshot: plan.cartSnapshots[0],
      link: plan.cartContacts[0],
      details: plan.cartDetails.get('k'),
      fields: plan.cartFields.get('k'),
    };
    row = nextCart(row, facts, maps, now) ?? row;
  }
  return row;
}

/** Every order of some items. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('nextCart', () => {
  it('takes a newer snapshot with its lines, totals and start time', () => {
    const row = apply(emptyCart(), [[updated('2026-11-21T10:00:00Z', 'e1', [line('Kurta', 2)])]]);
    expect(JSON.parse(row.lines ?? '[]')).toEqual([line('Kurta', 2)]);
    expect(row).toMatchObject({ status: 'active', item_count: 2, total: 2000, currency: 'EUR', session_id: 's' });
    expect(row.started_at).toEqual(new Date('2026-11-21T10:00:00Z'));
  });

  it('ignores the content of a snapshot older than the one stored', () => {
    const stored = apply(emptyCart(), [[updated('2026-11-21T10:05:00Z', 'e2', [line('New')])]]);
    const late = apply(stored, [[updated('2026-11-21T10:00:00Z', 'e1', [line('Old')])]]);
    expect(JSON.parse(late.lines ?? '[]')).toEqual([line('New')]);
  });

  it('keeps the time a cart began while it keeps holding lines, and restarts it after emptying', () => {
    let row = apply(emptyCart(), [[updated('2026-11-21T10:00:00Z', 'e1', [line('A')])]]);
    row = apply(row, [[updated('2026-11-21T10:10:00Z', 'e2', [line('A'), line('B')])]]);
    expect(row.started_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    row = apply(row, [[updated('2026-11-21T10:20:00Z', 'e3', [])]]);
    expect(row).toMatchObject({ status: 'emptied', item_count: 0, started_at: null });
    row = apply(row, [[updated('2026-11-21T10:30:00Z', 'e4', [line('C')])]]);
    expect(row.started_at).toEqual(new Date('2026-11-21T10:30:00Z'));
  });

  it('ends in the same row whatever order its events arrive in, one by one or in pairs', () => {
    const events = [
      updated('2026-11-21T10:00:00Z', 'e1', [line('A')], { customer_id: 42 }),
      updated('2026-11-21T10:10:00Z', 'e2', [line('B')], { session_id: 's2', locale: 'en_IN' }),
      emptied('2026-11-21T10:20:00Z', 'e3'),
      updated('2026-11-21T10:30:00Z', 'e4', [line('C')]),
      updated('2026-11-21T10:40:00Z', 'e5', [line('C'), line('D')], { session_id: 's3' }),
    ];
    const expected = apply(emptyCart(), [events]);
    // The customer id only the oldest snapshot carried stays; the newest session wins.
    expect(expected).toMatchObject({ status: 'active', item_count: 2, customer_id: 42, session_id: 's3' });
    expect(expected.started_at).toEqual(new Date('2026-11-21T10:30:00Z'));
    for (const order of permutations(events)) {
      const strip = (row: CartRow) => ({ ...row, updated_at: null });
      expect(
        strip(
          apply(
            emptyCart(),
            order.map((e) => [e]),
          ),
        ),
      ).toEqual(strip(expected));
      const pairs = [order.slice(0, 2), order.slice(2, 4), order.slice(4)];
      expect(strip(apply(emptyCart(), pairs))).toEqual(strip(expected));
    }
  });

  it('restarts at the first snapshot after an emptying that arrives late inside the run', () => {
    let row = apply(emptyCart(), [
      [updated('2026-11-21T10:00:00Z', 'e1', [line('A')])],
      [updated('2026-11-21T10:30:00Z', 'e4', [line('C')])],
      [updated('2026-11-21T10:40:00Z', 'e5', [line('D')])],
    ]);
    expect(row.started_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    row = apply(row, [[emptied('2026-11-21T10:20:00Z', 'e3')]]);
    expect(row).toMatchObject({ status: 'active', item_count: 1 });
    expect(row.started_at).toEqual(new Date('2026-11-21T10:30:00Z'));
  });

  it("links the contact the newest capture names, else the customer's, else the session's", () => {
    const maps: LinkMaps = {
      ...noLinks,
      byPhone: new Map([['+919812345678', 7]]),
      byCustomer: new Map([[42, 9]]),
      bySession: new Map([['s', 11]]),
    };
    const anonymous = apply(emptyCart(), [[updated('2026-11-21T10:00:00Z', 'e1', [line('A')])]], maps);
    expect(anonymous.contact_id).toBe(11);
    const customer = apply(
      anonymous,
      [[updated('2026-11-21T10:05:00Z', 'e2', [line('A')], { customer_id: 42 })]],
      maps,
    );
    expect(customer.contact_id).toBe(9);
    const captured = event('checkout.contact_captured', { cart_key: 'k', phone: '+919812345678' });
    expect(apply(customer, [[captured]], maps).contact_id).toBe(7);
    // The same events in the other order: the capture first.
    const reversed = apply(
      emptyCart(),
      [[captured], [updated('2026-11-21T10:00:00Z', 'e1', [line('A')], { customer_id: 42 })]],
      maps,
    );
    expect(reversed.contact_id).toBe(7);
  });
});

function order(status: string, total: number): OrderData {
  return {
    order_id: 5,
    status,
    currency: 'INR',
    totals: { subtotal: total, tax: 0, shipping: 0, discount: 0, total },
    lines: [line(status)],
    coupons: [],
  };
}

function emptyOrder(): OrderRow {
  return {
    store_id: 1,
    order_id: 5,
    cart_key: null,
    contact_id: null,
    customer_id: null,
    phone: null,
    email: null,
    status: null,
    currency: null,
    subtotal: null,
    tax: null,
    shipping: null,
    discount: null,
    total: null,
    lines: null,
    coupons: null,
    payment_method: null,
    pay_url: null,
    placed_at: null,
    paid_at: null,
    failed_at: null,
    refunded_at: null,
    refunded_amount: null,
    state_at: null,
    state_event_id: null,
    stamps: null,
    created_at: now,
    updated_at: now,
  };
}

describe('nextOrder', () => {
  const withPhone = (data: OrderData, extra: Partial<OrderData>): OrderData => ({ ...data, ...extra });
  const facts: OrderFact[] = [
    {
      at: new Date('2026-11-21T10:00:00Z'),
      eventId: 'o1',
      type: 'order.created',
      data: withPhone(order('pending', 100), { phone: '+919812345678', payment_method: 'cod' }),
    },
    { at: new Date('2026-11-21T10:01:00Z'), eventId: 'o2', type: 'order.payment_failed', data: order('failed', 100) },
    { at: new Date('2026-11-21T10:05:00Z'), eventId: 'o3', type: 'order.paid', data: order('processing', 100) },
    { at: new Date('2026-11-21T11:00:00Z'), eventId: 'o4', type: 'order.refunded', data: order('refunded', 100) },
  ];
  const maps: LinkMaps = { ...noLinks, byPhone: new Map([['+919812345678', 3]]) };
  const fold = (row: OrderRow, batch: OrderFact[]) => nextOrder(row, batch, maps, now) ?? row;

  it('ends in the same row whatever order the facts arrive in, in one batch or one at a time', () => {
    const inOrder = fold(emptyOrder(), facts);
    expect(inOrder).toMatchObject({ status: 'refunded', contact_id: 3, state_event_id: 'o4', payment_method: 'cod' });
    expect(inOrder.placed_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    expect(inOrder.failed_at).toEqual(new Date('2026-11-21T10:01:00Z'));
    expect(inOrder.paid_at).toEqual(new Date('2026-11-21T10:05:00Z'));
    expect(inOrder.refunded_at).toEqual(new Date('2026-11-21T11:00:00Z'));

    const strip = (row: OrderRow) => ({ ...row, updated_at: null });
    for (const order of permutations(facts)) {
      expect(strip(fold(emptyOrder(), order))).toEqual(strip(inOrder));
      expect(strip(order.reduce((row, fact) => fold(row, [fact]), emptyOrder()))).toEqual(strip(inOrder));
    }
  });

  it('keeps the newer state when an older fact arrives late, and keeps its lines', () => {
    const row = fold(emptyOrder(), [facts[2]!]);
    const late = fold(row, [facts[0]!]);
    expect(late.status).toBe('processing');
    expect(JSON.parse(late.lines ?? '[]')).toEqual([line('processing')]);
    expect(late.placed_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    expect(late).toMatchObject({ phone: '+919812345678', contact_id: 3 });
  });

  it('keeps the pay link of the newest report: a newer one without it (paid) clears it, an older one arriving late does not bring it back', () => {
    const payUrl = 'https://shop.example/checkout/order-pay/5/?pay_for_order=true&key=wc_order_abc';
    const created: OrderFact = { ...facts[0]!, data: { ...facts[0]!.data, pay_url: payUrl } };
    const failed: OrderFact = { ...facts[1]!, data: { ...facts[1]!.data, pay_url: `${payUrl}&again=1` } };
    expect(fold(emptyOrder(), [created]).pay_url).toBe(payUrl);
    expect(fold(fold(emptyOrder(), [failed]), [created]).pay_url).toBe(`${payUrl}&again=1`);
    for (const batch of permutations([created, failed, facts[2]!])) {
      expect(fold(emptyOrder(), batch).pay_url).toBeNull();
      expect(batch.reduce((row, fact) => fold(row, [fact]), emptyOrder()).pay_url).toBeNull();
    }
  });

  it('keeps the largest refunded amount: a later report of a smaller one undoes nothing, in any order', () => {
    const refunded = (eventId: string, minute: number, type: OrderFact['type'], amount: number | undefined) => {
      const data = order('processing', 10000);
      return {
        at: new Date(`2026-11-21T12:${String(minute).padStart(2, '0')}:00Z`),
        eventId,
        type,
        data: amount === undefined ? data : { ...data, totals: { ...data.totals, refunded: amount } },
      } satisfies OrderFact;
    };
    const partials = [
      refunded('r0', 0, 'order.created', 0),
      refunded('r1', 10, 'order.refunded', 3000),
      refunded('r2', 20, 'order.refunded', 5000),
      // Newer than both refunds, but built from an order read before the second one.
      refunded('r3', 30, 'order.status_changed', 3000),
    ];
    for (const batch of permutations(partials)) {
      const row = fold(emptyOrder(), batch);
      expect(row.refunded_amount).toBe(5000);
      expect(row.refunded_at).toEqual(new Date('2026-11-21T12:10:00Z'));
      expect(batch.reduce((r, fact) => fold(r, [fact]), emptyOrder()).refunded_amount).toBe(5000);
    }
    expect(fold(emptyOrder(), [partials[0]!]).refunded_amount).toBe(0);
    expect(fold(emptyOrder(), [refunded('n', 0, 'order.paid', undefined)]).refunded_amount).toBeNull();
    // An order.refunded without the amount (a plugin before partial refunds were reported): all of it.
    expect(fold(emptyOrder(), [refunded('old', 0, 'order.refunded', undefined)]).refunded_amount).toBe(10000);
  });

  it('changes nothing when the facts were seen and the contact is the same', () => {
    const row = fold(emptyOrder(), facts);
    expect(nextOrder(row, facts, maps, now)).toBeNull();
    expect(nextOrder(row, [], { ...noLinks, byPhone: new Map([['+919812345678', 4]]) }, now)).toMatchObject({
      contact_id: 4,
    });
  });
});
