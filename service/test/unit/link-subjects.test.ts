import { linkTarget, offerCart, offerOpens, safePayUrl } from '../../src/links/subjects';

describe('linkTarget and offerOpens', () => {
  it.each([
    ['cart', 'restore'],
    ['product', 'restore'],
    ['winback', 'restore'],
    ['order', 'pay'],
    ['contact', null],
    ['', null],
  ])('a %p link goes to %p', (kind, target) => {
    expect(linkTarget(kind)).toBe(target);
  });

  it('opens the checkout for a browsed product and the cart page for win-back picks', () => {
    expect(offerOpens('product')).toBe('checkout');
    expect(offerOpens('winback')).toBe('cart');
  });
});

describe('safePayUrl', () => {
  const store = 'https://shop.example/';
  it.each([
    ['https://shop.example/checkout/order-pay/1/?key=k', 'https://shop.example/checkout/order-pay/1/?key=k'],
    ['http://shop.example/checkout/order-pay/1/', 'http://shop.example/checkout/order-pay/1/'],
    ['https://pay.shop.example/order/1', 'https://pay.shop.example/order/1'],
    ['https://SHOP.example/x', 'https://shop.example/x'],
    ['https://shop.example.evil.test/x', null],
    ['https://evilshop.example/x', null],
    ['https://other.example/x', null],
    ['https://user:pw@shop.example/x', null],
    ['javascript:alert(1)', null],
    ['ftp://shop.example/x', null],
    ['/checkout/order-pay/1/', null],
    ['', null],
    [null, null],
  ])('%p → %p', (payUrl, expected) => {
    expect(safePayUrl(payUrl, store)).toBe(expected);
  });

  it('follows nothing without a store URL', () => {
    expect(safePayUrl('https://shop.example/x', undefined)).toBeNull();
  });
});

describe('offerCart', () => {
  const p = (id: unknown, price: unknown = 1000) => ({ product_id: id, name: `P${String(id)}`, price, url: 'u' });

  it('gives one line per offered product, quantity 1, in order, totalled', () => {
    const cart = offerCart(JSON.stringify({ currency: 'INR', products: [p(3, 500), p(1, 250)] }));
    expect(cart).toEqual({
      currency: 'INR',
      total: 750,
      lines: [
        { product_id: 3, name: 'P3', quantity: 1, unit_price: 500, line_total: 500, url: 'u' },
        { product_id: 1, name: 'P1', quantity: 1, unit_price: 250, line_total: 250, url: 'u' },
      ],
    });
  });

  it('drops products without a valid id and repeats, and reads a bad offer as none', () => {
    const cart = offerCart(JSON.stringify({ products: [p(0), p('7'), p(2.5), p(9), p(9), null, 'x'] }));
    expect(cart.lines.map((l) => l.product_id)).toEqual([9]);
    expect(cart.currency).toBeNull();
    for (const bad of [null, '', '{', '[]', '{"products":{}}']) {
      expect(offerCart(bad)).toEqual({ currency: null, lines: [], total: null });
    }
  });

  it('keeps a variation apart from its parent and a bad price as 0', () => {
    const cart = offerCart(JSON.stringify({ products: [p(4, -1), { ...p(4), variation_id: 5 }] }));
    expect(cart.lines.map((l) => [l.product_id, l.variation_id, l.unit_price])).toEqual([
      [4, undefined, 0],
      [4, 5, 1000],
    ]);
  });
});
