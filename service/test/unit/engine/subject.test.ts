import { asksStore, storeCheckFor, subjectVerdict, type SubjectFacts } from '../../../src/engine/subject';

type Expect = Partial<ReturnType<typeof subjectVerdict>>;

const order = (status: string | null, paid = false, hasPayUrl = true) => ({ status, paid, hasPayUrl });
const sameCart = { sameEpisode: true, active: true, itemCount: 2 };

const CASES: Array<[string, SubjectFacts, Expect]> = [
  // Carts: as before issue 10.
  ['cart: nothing happened', { kind: 'cart', cart: sameCart, orders: [] }, { converted: false, cartEmpty: false }],
  ['cart: paid order', { kind: 'cart', cart: sameCart, orders: [{ status: 'processing' }] }, { converted: true }],
  ['cart: unpaid order', { kind: 'cart', cart: sameCart, orders: [{ status: 'pending' }] }, { paymentPending: true }],
  ['cart: gone', { kind: 'cart', cart: null, orders: [] }, { cartEmpty: true }],
  ['cart: emptied', { kind: 'cart', cart: { ...sameCart, active: false }, orders: [] }, { cartEmpty: true }],
  ['cart: no items', { kind: 'cart', cart: { ...sameCart, itemCount: 0 }, orders: [] }, { cartEmpty: true }],
  ['cart: next episode', { kind: 'cart', cart: { ...sameCart, sameEpisode: false }, orders: [] }, { cartEmpty: true }],
  // Browse.
  ['product: nothing happened', { kind: 'product', ordersSince: [], productInCart: false }, { stop: null }],
  [
    'product: paid order',
    { kind: 'product', ordersSince: [{ status: 'completed' }], productInCart: false },
    { converted: true },
  ],
  [
    'product: unpaid order is no stop here',
    { kind: 'product', ordersSince: [{ status: 'pending' }], productInCart: false },
    { converted: false, paymentPending: false },
  ],
  ['product: put in a cart', { kind: 'product', ordersSince: [], productInCart: true }, { stop: 'product_in_cart' }],
  // Payment recovery.
  [
    'order: still pending',
    { kind: 'order', order: order('pending'), paidAnotherWithSameProducts: false },
    { converted: false, paymentPending: false, stop: null, renderable: true },
  ],
  [
    'order: failed is still worth a reminder',
    { kind: 'order', order: order('wc-failed'), paidAnotherWithSameProducts: false },
    { stop: null, renderable: true },
  ],
  [
    'order: processing',
    { kind: 'order', order: order('processing'), paidAnotherWithSameProducts: false },
    { converted: true },
  ],
  [
    'order: completed',
    { kind: 'order', order: order('completed'), paidAnotherWithSameProducts: false },
    { converted: true },
  ],
  [
    'order: order.paid received',
    { kind: 'order', order: order('pending', true), paidAnotherWithSameProducts: false },
    { converted: true },
  ],
  [
    'order: cancelled',
    { kind: 'order', order: order('cancelled'), paidAnotherWithSameProducts: false },
    { stop: 'order_cancelled' },
  ],
  [
    'order: refunded (even though paid once)',
    { kind: 'order', order: order('refunded', true), paidAnotherWithSameProducts: false },
    { stop: 'order_refunded', converted: false },
  ],
  [
    'order: on hold',
    { kind: 'order', order: order('on-hold'), paidAnotherWithSameProducts: false },
    { stop: 'order_on_hold' },
  ],
  [
    'order: disputed',
    { kind: 'order', order: order('Disputed'), paidAnotherWithSameProducts: false },
    { stop: 'order_disputed' },
  ],
  [
    'order: another order paid with the same products',
    { kind: 'order', order: order('pending'), paidAnotherWithSameProducts: true },
    { converted: true, detail: 'the contact paid another order with the same products' },
  ],
  ['order: row gone', { kind: 'order', order: null, paidAnotherWithSameProducts: false }, { renderable: false }],
  [
    'order: no pay link',
    { kind: 'order', order: order('pending', false, false), paidAnotherWithSameProducts: false },
    { renderable: false, stop: null },
  ],
  // Win-back.
  ['winback: nothing happened', { kind: 'winback', ordersSince: [] }, { converted: false }],
  ['winback: paid order', { kind: 'winback', ordersSince: [{ status: 'processing' }] }, { converted: true }],
  [
    'winback: a cancelled order is none',
    { kind: 'winback', ordersSince: [{ status: 'cancelled' }] },
    { converted: false, paymentPending: false },
  ],
];

describe('subjectVerdict', () => {
  it.each(CASES)('%s', (_name, facts, expected) => {
    expect(subjectVerdict(facts)).toMatchObject(expected);
  });

  it('never says cart_empty or payment_pending for a non-cart subject', () => {
    for (const [, facts] of CASES.filter(([, f]) => f.kind !== 'cart')) {
      expect(subjectVerdict(facts)).toMatchObject({ cartEmpty: false, paymentPending: false });
    }
  });
});

describe('the store re-check per subject kind', () => {
  it.each([
    ['cart', true],
    ['order', true],
    ['product', false],
    ['winback', false],
  ] as const)('%s asks the store: %s', (kind, asks) => {
    expect(asksStore(kind)).toBe(asks);
  });

  it("reads payment recovery's expected unpaid order as nothing new, and a cart's as payment_pending", () => {
    expect(storeCheckFor('order', 'payment_pending')).toBe('no_order');
    expect(storeCheckFor('order', 'ordered')).toBe('ordered');
    expect(storeCheckFor('cart', 'payment_pending')).toBe('payment_pending');
  });
});
