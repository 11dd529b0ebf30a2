import type { Line } from '@cartback/shared';
import {
  catalogVerdict,
  checkCart,
  checkOffer,
  inStockStatus,
  lineItem,
  lineItemId,
  type LiveProduct,
} from '../../../src/engine/catalog';
import type { OfferedProduct } from '../../../src/engine/render';

function line(productId: number, unitPrice: number, quantity: number, extra: Partial<Line> = {}): Line {
  return {
    product_id: productId,
    name: `Captured ${productId}`,
    quantity,
    unit_price: unitPrice,
    line_total: unitPrice * quantity,
    url: `https://shop.test/p/${productId}`,
    image_url: `https://shop.test/old-${productId}.jpg`,
    ...extra,
  };
}

function live(id: number, price: number | null, patch: Partial<LiveProduct> = {}): LiveProduct {
  return { id, name: `Live ${id}`, price, inStock: true, purchasable: true, imageUrl: null, ...patch };
}

const catalog = (...products: LiveProduct[]) => new Map(products.map((p) => [p.id, p]));
const same = { comparePrices: true };

/** Cart: 2 × 500 (id 1) + 1 × 1200 (id 2) = 2200, total 2500 with 300 shipping and tax. */
const CART = [line(1, 500, 2), line(2, 1200, 1)];
const CART_TOTAL = 2500;

describe('checkCart', () => {
  it.each([
    ['all in stock, prices unchanged', catalog(live(1, 500), live(2, 1200)), 'none', [], CART_TOTAL, [500, 1200]],
    [
      'one of two out of stock',
      catalog(live(1, 500, { inStock: false }), live(2, 1200)),
      'some',
      [],
      CART_TOTAL,
      [500, 1200],
    ],
    [
      'both out of stock',
      catalog(live(1, 500, { inStock: false }), live(2, 1200, { inStock: false })),
      'all',
      [],
      CART_TOTAL,
      [500, 1200],
    ],
    [
      'not purchasable is unavailable',
      catalog(live(1, 500), live(2, 1200, { purchasable: false })),
      'some',
      [],
      CART_TOTAL,
      [500, 1200],
    ],
    [
      'a missing price is unavailable, not the old price',
      catalog(live(1, 500), live(2, null)),
      'some',
      [],
      CART_TOTAL,
      [500, 1200],
    ],
    ['an unusable price is unavailable', catalog(live(1, 500), live(2, 12.5)), 'some', [], CART_TOTAL, [500, 1200]],
    // 2 × 450 instead of 2 × 500: the line total drops by 100, and so does the cart total.
    ['a price changed', catalog(live(1, 450), live(2, 1200)), 'none', [], CART_TOTAL - 100, [450, 1200]],
    ['a product deleted leaves the cart', catalog(live(1, 500)), 'none', [2], CART_TOTAL - 1200, [500]],
    [
      'a deleted one and the rest out of stock',
      catalog(live(1, 500, { inStock: false })),
      'all',
      [2],
      CART_TOTAL - 1200,
      [500],
    ],
    // Shipping and tax (300) stay as last reported.
    ['all deleted', catalog(), 'none', [1, 2], 300, []],
  ] as const)('%s', (_name, products, outOfStock, removed, total, prices) => {
    const checked = checkCart(CART, CART_TOTAL, products, same);
    expect(checked.outOfStock).toBe(outOfStock);
    expect(checked.removed).toEqual(removed);
    expect(checked.total).toBe(total);
    expect(checked.lines.map((l) => l.unit_price)).toEqual(prices);
  });

  it('renders a changed price with its line total, the captured name and the live image', () => {
    const checked = checkCart(
      CART,
      CART_TOTAL,
      catalog(live(1, 450, { imageUrl: 'https://shop.test/new-1.jpg' }), live(2, 1200)),
      same,
    );
    expect(checked.lines[0]).toMatchObject({
      name: 'Captured 1',
      unit_price: 450,
      line_total: 900,
      image_url: 'https://shop.test/new-1.jpg',
    });
    expect(checked.lines[1]).toMatchObject({ image_url: 'https://shop.test/old-2.jpg', line_total: 1200 });
  });

  it('asks a variation by its own id', () => {
    const variation = line(7, 900, 1, { variation_id: 71 });
    expect(lineItemId(variation)).toBe(71);
    expect(lineItem(variation)).toEqual({ id: 71, parentId: 7 });
    expect(lineItem(line(7, 900, 1))).toEqual({ id: 7, parentId: null });
    expect(lineItem(line(7, 900, 1, { variation_id: 0 }))).toEqual({ id: 7, parentId: null });
    expect(checkCart([variation], 900, catalog(live(71, 950)), same).lines[0]?.unit_price).toBe(950);
    expect(checkCart([variation], 900, catalog(live(7, 950)), same).removed).toEqual([71]);
  });

  it('keeps captured prices when the cart is in another currency than the store', () => {
    const checked = checkCart(CART, CART_TOTAL, catalog(live(1, 450), live(2, 1200)), { comparePrices: false });
    expect(checked.total).toBe(CART_TOTAL);
    expect(checked.lines.map((l) => l.unit_price)).toEqual([500, 1200]);
  });

  it('never gives a negative total', () => {
    // A total that was reported lower than its lines (a coupon): 600 + (200 − 1000) would be −200.
    expect(checkCart([line(1, 500, 2)], 600, catalog(live(1, 100)), same).total).toBe(0);
  });
});

const offered = (id: number | undefined, price: number): OfferedProduct => ({
  ...(id === undefined ? {} : { product_id: id }),
  name: `Offered ${id}`,
  price,
  image_url: null,
});
const OFFER = [offered(1, 500), offered(2, 700), offered(3, 900)];

describe('checkOffer', () => {
  it.each([
    ['all in stock', catalog(live(1, 500), live(2, 700), live(3, 900)), [500, 700, 900], 'none', []],
    [
      'one of three out of stock goes with two',
      catalog(live(1, 500), live(2, 700, { inStock: false }), live(3, 900)),
      [500, 900],
      'some',
      [],
    ],
    [
      'all out of stock',
      catalog(live(1, 5, { inStock: false }), live(2, 7, { inStock: false }), live(3, 9, { inStock: false })),
      [],
      'all',
      [],
    ],
    ['a price changed', catalog(live(1, 450), live(2, 700), live(3, 900)), [450, 700, 900], 'none', []],
    ['a deleted product leaves', catalog(live(1, 500), live(3, 900)), [500, 900], 'none', [2]],
    ['all deleted', catalog(), [], 'none', [1, 2, 3]],
    [
      'a missing price leaves as unavailable',
      catalog(live(1, null), live(2, 700), live(3, 900)),
      [700, 900],
      'some',
      [],
    ],
  ] as const)('%s', (_name, products, prices, outOfStock, removed) => {
    const checked = checkOffer(OFFER, products, same);
    expect(checked.products.map((p) => p.price)).toEqual(prices);
    expect(checked.outOfStock).toBe(outOfStock);
    expect(checked.removed).toEqual(removed);
  });

  it('counts a product without an id as unavailable (it cannot be asked about)', () => {
    expect(checkOffer([offered(undefined, 500), offered(2, 700)], catalog(live(2, 700)), same)).toMatchObject({
      products: [{ price: 700 }],
      outOfStock: 'some',
    });
  });
});

describe('catalogVerdict', () => {
  const cart = (products: Map<number, LiveProduct>) => checkCart(CART, CART_TOTAL, products, same);
  const offer = (products: Map<number, LiveProduct>) => checkOffer(OFFER, products, same);
  const none = { outOfStock: false, cartEmpty: false, stop: null };
  it.each([
    ['not checked', null, none],
    ['cart in stock', cart(catalog(live(1, 500), live(2, 1200))), none],
    [
      'cart one of two out of stock: skip',
      cart(catalog(live(1, 500, { inStock: false }), live(2, 1200))),
      { ...none, outOfStock: true },
    ],
    [
      'cart all out of stock: stop',
      cart(catalog(live(1, 5, { inStock: false }), live(2, 5, { inStock: false }))),
      { ...none, stop: 'all_out_of_stock' },
    ],
    ['cart one deleted: goes', cart(catalog(live(1, 500))), none],
    ['cart all deleted: cart_empty', cart(catalog()), { ...none, cartEmpty: true }],
    ['offer one of three out: goes', offer(catalog(live(1, 5), live(2, 5, { inStock: false }), live(3, 5))), none],
    [
      'offer all out: stop',
      offer(catalog(live(1, 5, { inStock: false }), live(2, 5, { inStock: false }), live(3, 5, { inStock: false }))),
      { ...none, stop: 'all_out_of_stock' },
    ],
    ['offer all deleted: products_gone', offer(catalog()), { ...none, stop: 'products_gone' }],
    [
      'offer one deleted, two out: all_out_of_stock',
      offer(catalog(live(1, 5, { inStock: false }), live(2, 5, { inStock: false }))),
      { ...none, stop: 'all_out_of_stock' },
    ],
  ] as const)('%s', (_name, check, verdict) => {
    expect(catalogVerdict(check)).toEqual(verdict);
  });
});

describe('inStockStatus', () => {
  it.each([
    ['instock', true],
    ['onbackorder', true],
    ['outofstock', false],
    [undefined, false],
    ['', false],
  ])('%s → %s', (status, inStock) => {
    expect(inStockStatus(status)).toBe(inStock);
  });
});
