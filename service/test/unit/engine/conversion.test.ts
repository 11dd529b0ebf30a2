import { orderOutcome, orderOutcomeOf, type OrderSeen } from '../../../src/engine/conversion';
import { storeAnswer } from '../../../src/recovery/store-link';

describe('converted means paid', () => {
  it.each<[OrderSeen, ReturnType<typeof orderOutcomeOf>]>([
    [{ status: 'processing' }, 'converted'],
    [{ status: 'completed' }, 'converted'],
    [{ status: 'wc-completed' }, 'converted'],
    [{ status: 'Processing' }, 'converted'],
    [{ status: 'refunded' }, 'converted'],
    [{ status: 'pending', paid: true }, 'converted'],
    [{ status: 'pending' }, 'payment_pending'],
    [{ status: 'failed' }, 'payment_pending'],
    [{ status: 'on-hold' }, 'payment_pending'],
    [{ status: 'awaiting-shipment' }, 'payment_pending'],
    [{ status: null }, 'payment_pending'],
    [{ status: 'cancelled' }, 'none'],
    [{ status: 'checkout-draft' }, 'none'],
    [{ status: 'trash' }, 'none'],
  ])('%j → %s', (order, expected) => {
    expect(orderOutcomeOf(order)).toBe(expected);
  });

  it.each<[OrderSeen[], ReturnType<typeof orderOutcome>]>([
    [[], 'none'],
    [[{ status: 'cancelled' }, { status: 'checkout-draft' }], 'none'],
    [[{ status: 'failed' }, { status: 'cancelled' }], 'payment_pending'],
    [[{ status: 'failed' }, { status: 'processing' }], 'converted'],
    [[{ status: 'pending' }, { status: 'pending', paid: true }], 'converted'],
  ])('together %j → %s', (orders, expected) => {
    expect(orderOutcome(orders)).toBe(expected);
  });
});

describe("the store's answer to the re-check", () => {
  const order = (status: string) => ({ order_id: 1, status, created_at: '2026-11-21T10:00:00Z' });
  it.each<[Parameters<typeof storeAnswer>[0], ReturnType<typeof storeAnswer>]>([
    [{ ordered: false, orders: [] }, 'no_order'],
    [{ ordered: true, orders: [order('processing')] }, 'ordered'],
    [{ ordered: true, orders: [order('pending')] }, 'payment_pending'],
    [{ ordered: true, orders: [order('failed'), order('completed')] }, 'ordered'],
    [{ ordered: true, orders: [order('cancelled')] }, 'no_order'],
    [{ ordered: true, orders: [] }, 'payment_pending'],
  ])('%j → %s', (answer, expected) => {
    expect(storeAnswer(answer)).toBe(expected);
  });
});
