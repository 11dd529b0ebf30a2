import type { Line, OrderData } from '@cartback/shared';
import { linkCartSession, nextCart, nextOrder, type CartRow, type OrderRow } from '../../src/ingest/decide';
import type { CartSnapshot, OrderFact } from '../../src/ingest/plan';

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
    created_at: now,
    updated_at: now,
  };
}

function snapshot(iso: string, eventId: string, lines: Line[]): CartSnapshot {
  const total = lines.reduce((n, l) => n + l.line_total, 0);
  return {
    at: new Date(iso),
    eventId,
    cartKey: 'k',
    hasContent: lines.length > 0,
    customerId: null,
    sessionId: 's',
    currency: 'EUR',
    locale: 'de_DE',
    totals: { subtotal: total, tax: 0, shipping: 0, discount: 0, total },
    lines,
  };
}

const none = { fromLink: null, fromCustomer: null };

describe('nextCart', () => {
  it('takes a newer snapshot with its lines, totals and start time', () => {
    const row = nextCart(emptyCart(), snapshot('2026-11-21T10:00:00Z', 'e1', [line('Kurta', 2)]), undefined, none, now);
    expect(JSON.parse(row?.lines ?? '[]')).toEqual([line('Kurta', 2)]);
    expect(row).toMatchObject({ status: 'active', item_count: 2, total: 2000, currency: 'EUR' });
    expect(row?.started_at).toEqual(new Date('2026-11-21T10:00:00Z'));
  });

  it('ignores a snapshot older than the one stored', () => {
    const stored = nextCart(emptyCart(), snapshot('2026-11-21T10:05:00Z', 'e2', [line('New')]), undefined, none, now)!;
    expect(nextCart(stored, snapshot('2026-11-21T10:00:00Z', 'e1', [line('Old')]), undefined, none, now)).toBeNull();
  });

  it('keeps the time a cart began while it keeps holding lines, and restarts it after emptying', () => {
    let row = nextCart(emptyCart(), snapshot('2026-11-21T10:00:00Z', 'e1', [line('A')]), undefined, none, now)!;
    row = nextCart(row, snapshot('2026-11-21T10:10:00Z', 'e2', [line('A'), line('B')]), undefined, none, now)!;
    expect(row.started_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    row = nextCart(row, snapshot('2026-11-21T10:20:00Z', 'e3', []), undefined, none, now)!;
    expect(row).toMatchObject({ status: 'emptied', item_count: 0, started_at: null });
    row = nextCart(row, snapshot('2026-11-21T10:30:00Z', 'e4', [line('C')]), undefined, none, now)!;
    expect(row.started_at).toEqual(new Date('2026-11-21T10:30:00Z'));
  });

  it('links the newest captured contact, and a customer contact only where none is known', () => {
    const link = { at: new Date('2026-11-21T10:00:00Z'), eventId: 'c1', cartKey: 'k', ref: {}, email: 'a@x.io' };
    const linked = nextCart(emptyCart(), undefined, link, { fromLink: 7, fromCustomer: 9 }, now)!;
    expect(linked).toMatchObject({ contact_id: 7, email: 'a@x.io' });
    expect(nextCart(linked, undefined, undefined, { fromLink: null, fromCustomer: 9 }, now)).toBeNull();
    expect(nextCart(emptyCart(), undefined, undefined, { fromLink: null, fromCustomer: 9 }, now)?.contact_id).toBe(9);
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
    placed_at: null,
    paid_at: null,
    failed_at: null,
    refunded_at: null,
    state_at: null,
    state_event_id: null,
    created_at: now,
    updated_at: now,
  };
}

describe('nextOrder', () => {
  const facts: OrderFact[] = [
    { at: new Date('2026-11-21T10:00:00Z'), eventId: 'o1', type: 'order.created', data: order('pending', 100) },
    { at: new Date('2026-11-21T10:01:00Z'), eventId: 'o2', type: 'order.payment_failed', data: order('failed', 100) },
    { at: new Date('2026-11-21T10:05:00Z'), eventId: 'o3', type: 'order.paid', data: order('processing', 100) },
    { at: new Date('2026-11-21T11:00:00Z'), eventId: 'o4', type: 'order.refunded', data: order('refunded', 100) },
  ];

  it('ends in the same row whatever order the facts arrive in, in one batch or one at a time', () => {
    const inOrder = nextOrder(emptyOrder(), facts, 3, now);
    expect(inOrder).toMatchObject({ status: 'refunded', contact_id: 3, state_event_id: 'o4' });
    expect(inOrder.placed_at).toEqual(new Date('2026-11-21T10:00:00Z'));
    expect(inOrder.failed_at).toEqual(new Date('2026-11-21T10:01:00Z'));
    expect(inOrder.paid_at).toEqual(new Date('2026-11-21T10:05:00Z'));
    expect(inOrder.refunded_at).toEqual(new Date('2026-11-21T11:00:00Z'));

    const reversed = nextOrder(emptyOrder(), [...facts].reverse(), 3, now);
    expect(reversed).toEqual(inOrder);

    let oneByOne = emptyOrder();
    for (const fact of [facts[2]!, facts[0]!, facts[3]!, facts[1]!]) oneByOne = nextOrder(oneByOne, [fact], 3, now);
    expect(oneByOne).toEqual(inOrder);
  });

  it('keeps the newer state when an older fact arrives late, and keeps its lines', () => {
    const row = nextOrder(emptyOrder(), [facts[2]!], null, now);
    const late = nextOrder(row, [facts[0]!], null, now);
    expect(late.status).toBe('processing');
    expect(JSON.parse(late.lines ?? '[]')).toEqual([line('processing')]);
    expect(late.placed_at).toEqual(new Date('2026-11-21T10:00:00Z'));
  });
});

describe('linkCartSession', () => {
  const sessions = new Map([['s1', 7]]);
  const inSession = (changes: Partial<CartRow> = {}): CartRow => ({ ...emptyCart(), session_id: 's1', ...changes });

  it('gives a stored cart of a logged-in session its contact, keeping the rest as stored', () => {
    const stored = inSession({ updated_at: new Date('2026-11-20T00:00:00Z') });
    expect(linkCartSession(stored, null, sessions)).toEqual({ ...stored, contact_id: 7 });
  });

  it('links the row as this batch writes it (its new session), not as stored', () => {
    const next = inSession({ item_count: 2 });
    expect(linkCartSession(emptyCart(), next, sessions)).toEqual({ ...next, contact_id: 7 });
  });

  it('leaves a cart that has a contact, has no session, or whose session did not log in', () => {
    expect(linkCartSession(inSession({ contact_id: 3 }), null, sessions)).toBeNull();
    expect(linkCartSession(emptyCart(), null, sessions)).toBeNull();
    expect(linkCartSession(inSession({ session_id: 's2' }), null, sessions)).toBeNull();
    const next = inSession({ contact_id: 3 });
    expect(linkCartSession(emptyCart(), next, sessions)).toBe(next);
  });
});
