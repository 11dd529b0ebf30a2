import {
  decideAttribution,
  type Attribution,
  type AttributionMessage,
  type AttributionOrder,
} from '../../../src/engine/attribution';

/** A fixed clock: the order is placed at T; everything else is hours before or after it. */
const T = new Date('2026-11-20T12:00:00.000Z');
const hours = (h: number) => new Date(T.getTime() + h * 3600_000);
const days = (d: number) => hours(d * 24);

const order = (change: Partial<AttributionOrder> = {}): AttributionOrder => ({
  contactId: 7,
  status: 'processing',
  placedAt: T,
  paidAt: T,
  refundedAt: null,
  refundedAmount: null,
  total: 129900,
  currency: 'INR',
  ...change,
});

let nextId = 100;
const message = (change: Partial<AttributionMessage> = {}): AttributionMessage => ({
  id: nextId++,
  contactId: 7,
  lane: 'abandoned_cart',
  step: 0,
  enrollmentId: 3,
  state: 'delivered',
  deliveredAt: null,
  readAt: null,
  clicks: [],
  ...change,
});

const won = (a: Attribution) =>
  a.kind === 'none'
    ? { kind: a.kind, why: a.why }
    : { kind: a.kind, messageId: a.messageId, amount: a.amount, refunded: a.refunded };

describe('attribution: which message earned an order', () => {
  const m1 = message({ id: 1, step: 0, deliveredAt: hours(-30), clicks: [hours(-29)] });
  const m2 = message({ id: 2, step: 1, deliveredAt: hours(-5) });
  const m3 = message({ id: 3, step: 2, deliveredAt: hours(-2), clicks: [hours(-1)] });

  it.each<[string, AttributionOrder, AttributionMessage[], ReturnType<typeof won>]>([
    [
      'click then paid order → recovered, full amount',
      order(),
      [message({ id: 10, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'recovered', messageId: 10, amount: 129900, refunded: false },
    ],
    [
      'delivered then paid order, no click → influenced',
      order(),
      [message({ id: 11, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 11, amount: 129900, refunded: false },
    ],
    [
      'read without a delivered status counts as delivered',
      order(),
      [message({ id: 12, state: 'read', readAt: hours(-20) })],
      { kind: 'influenced', messageId: 12, amount: 129900, refunded: false },
    ],
    [
      'two clicked messages then one order → the latest click wins (last touch)',
      order(),
      [m1, m3],
      { kind: 'recovered', messageId: 3, amount: 129900, refunded: false },
    ],
    [
      'an older click beats a newer delivery without a click (recovered beats influenced)',
      order(),
      [m1, m2],
      { kind: 'recovered', messageId: 1, amount: 129900, refunded: false },
    ],
    [
      'two delivered messages, no click → the latest delivered wins',
      order(),
      [message({ id: 20, deliveredAt: hours(-40) }), message({ id: 21, deliveredAt: hours(-10) })],
      { kind: 'influenced', messageId: 21, amount: 129900, refunded: false },
    ],
    [
      'click 8 days before → none (and its delivery is past 3 days too)',
      order(),
      [message({ id: 30, deliveredAt: days(-8), clicks: [days(-8)] })],
      { kind: 'none', why: 'no_touch' },
    ],
    [
      'click exactly 7 days before still counts',
      order(),
      [message({ id: 31, deliveredAt: days(-7), clicks: [days(-7)] })],
      { kind: 'recovered', messageId: 31, amount: 129900, refunded: false },
    ],
    [
      'delivered 4 days before, no click → none',
      order(),
      [message({ id: 32, deliveredAt: days(-4) })],
      { kind: 'none', why: 'no_touch' },
    ],
    [
      'click 5 days before, another message delivered 1 day before → the click (recovered) wins',
      order(),
      [message({ id: 33, deliveredAt: days(-5), clicks: [days(-5)] }), message({ id: 34, deliveredAt: days(-1) })],
      { kind: 'recovered', messageId: 33, amount: 129900, refunded: false },
    ],
    [
      'order before the click → not recovered; its earlier delivery influenced it',
      order(),
      [message({ id: 40, deliveredAt: hours(-1), clicks: [hours(1)] })],
      { kind: 'influenced', messageId: 40, amount: 129900, refunded: false },
    ],
    [
      'order before the message was even delivered → none',
      order(),
      [message({ id: 41, deliveredAt: hours(2), clicks: [hours(3)] })],
      { kind: 'none', why: 'no_touch' },
    ],
    [
      'the click is measured to when the order was placed, not to a payment confirmed days later',
      order({ placedAt: T, paidAt: days(5), status: 'processing' }),
      [message({ id: 42, deliveredAt: days(-6), clicks: [days(-6)] })],
      { kind: 'recovered', messageId: 42, amount: 129900, refunded: false },
    ],
    [
      'refunded after the click → recovered, amount 0, refunded',
      order({ refundedAt: hours(30), status: 'refunded' }),
      [message({ id: 50, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'recovered', messageId: 50, amount: 0, refunded: true },
    ],
    [
      'a refund that said no amount (older plugin, or stored before amounts were kept) counts as full',
      order({ refundedAt: hours(30), status: 'completed' }),
      [message({ id: 51, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 51, amount: 0, refunded: true },
    ],
    [
      'a partial refund (status still completed) → the total less what was refunded',
      order({ refundedAt: hours(30), refundedAmount: 30000, status: 'completed' }),
      [message({ id: 52, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'recovered', messageId: 52, amount: 99900, refunded: true },
    ],
    [
      'a refunded amount reported by a later status change, without an order.refunded, still subtracts',
      order({ refundedAmount: 900, status: 'completed' }),
      [message({ id: 53, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 53, amount: 129000, refunded: true },
    ],
    [
      'refunds adding up to more than the total (shipping refunded on top) → 0, never below',
      order({ refundedAt: hours(30), refundedAmount: 140000, status: 'completed' }),
      [message({ id: 54, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 54, amount: 0, refunded: true },
    ],
    [
      'status refunded → full refund, whatever amount the events reported',
      order({ refundedAt: hours(30), refundedAmount: 50000, status: 'refunded' }),
      [message({ id: 55, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 55, amount: 0, refunded: true },
    ],
    [
      'an order.refunded that reported 0 refunded gave nothing back → full amount, not refunded',
      order({ refundedAt: hours(30), refundedAmount: 0, status: 'completed' }),
      [message({ id: 56, deliveredAt: hours(-20) })],
      { kind: 'influenced', messageId: 56, amount: 129900, refunded: false },
    ],
    [
      'unpaid order (pending) → none',
      order({ status: 'pending', paidAt: null }),
      [message({ id: 60, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'not_paid' },
    ],
    [
      'on-hold order (bank transfer not confirmed) → none',
      order({ status: 'on-hold', paidAt: null }),
      [message({ id: 61, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'not_paid' },
    ],
    [
      'paid, then cancelled → none',
      order({ status: 'cancelled' }),
      [message({ id: 62, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'not_paid' },
    ],
    [
      'paid status without an order.paid event still counts',
      order({ status: 'wc-completed', paidAt: null }),
      [message({ id: 63, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'recovered', messageId: 63, amount: 129900, refunded: false },
    ],
    [
      'held-out messages never attribute (they were never sent)',
      order(),
      [message({ id: 70, state: 'held_out', deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'no_touch' },
    ],
    [
      "another contact's message does not count",
      order(),
      [message({ id: 71, contactId: 8, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'no_touch' },
    ],
    [
      'an order of no known contact → none',
      order({ contactId: null }),
      [message({ id: 72, deliveredAt: hours(-3), clicks: [hours(-2)] })],
      { kind: 'none', why: 'no_contact' },
    ],
  ])('%s', (_name, o, messages, expected) => {
    expect(won(decideAttribution({ order: o, messages }))).toEqual(expected);
  });

  it('gives the winning message’s lane, step, enrollment, coupon and touch time', () => {
    const decided = decideAttribution({
      order: order(),
      messages: [
        message({
          id: 80,
          lane: 'browse_abandonment',
          step: 1,
          enrollmentId: 9,
          deliveredAt: hours(-3),
          clicks: [hours(-2.5), hours(-2)],
          couponCode: 'CB-XYZ',
        }),
      ],
    });
    expect(decided).toEqual({
      kind: 'recovered',
      messageId: 80,
      lane: 'browse_abandonment',
      step: 1,
      enrollmentId: 9,
      couponCode: 'CB-XYZ',
      touchedAt: hours(-2),
      amount: 129900,
      currency: 'INR',
      refunded: false,
    });
  });

  it('gives the same answer whatever order the messages and clicks are listed in', () => {
    const messages = [m1, m2, m3, message({ id: 4, deliveredAt: hours(-1) })];
    const first = decideAttribution({ order: order(), messages });
    expect(decideAttribution({ order: order(), messages: [...messages].reverse() })).toEqual(first);
    // Two clicks at the same instant: the higher message id wins, both ways round.
    const a = message({ id: 90, clicks: [hours(-1)] });
    const b = message({ id: 91, clicks: [hours(-1)] });
    expect(won(decideAttribution({ order: order(), messages: [a, b] }))).toMatchObject({ messageId: 91 });
    expect(won(decideAttribution({ order: order(), messages: [b, a] }))).toMatchObject({ messageId: 91 });
  });
});
