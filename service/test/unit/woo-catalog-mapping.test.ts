import type { LiveProduct } from '../../src/engine/catalog';
import { liveProductOf } from '../../src/woo/catalog';
import type { WooProduct, WooVariation } from '../../src/woo/types';

const product = (patch: Partial<WooProduct> = {}): WooProduct => ({
  id: 10,
  name: 'Kurta',
  type: 'simple',
  status: 'publish',
  permalink: 'https://shop.test/product/kurta/',
  price: '1299.50',
  regular_price: '1299.50',
  sale_price: '',
  stock_status: 'instock',
  stock_quantity: null,
  purchasable: true,
  images: [{ src: 'https://shop.test/kurta.jpg' }, { src: 'https://shop.test/kurta-2.jpg' }],
  variations: [],
  ...patch,
});

const variation = (patch: Partial<WooVariation> = {}): WooVariation => ({
  id: 11,
  status: 'publish',
  permalink: 'https://shop.test/product/kurta/?attribute_size=m',
  price: '1099',
  regular_price: '1299',
  sale_price: '1099',
  stock_status: 'instock',
  stock_quantity: 3,
  purchasable: true,
  image: { src: 'https://shop.test/kurta-m.jpg' },
  ...patch,
});

const KURTA: LiveProduct = {
  id: 10,
  name: 'Kurta',
  price: 129950,
  inStock: true,
  purchasable: true,
  imageUrl: 'https://shop.test/kurta.jpg',
};

describe('liveProductOf: a WooCommerce product or variation as the live check sees it', () => {
  it.each<[string, WooProduct | WooVariation, number, LiveProduct | null]>([
    ['a published product, price in minor units, first image', product(), 2, KURTA],
    ['a currency without decimals rounds half up', product({ price: '1299.50' }), 0, { ...KURTA, price: 1300 }],
    ['no price ("") → null price (unavailable)', product({ price: '' }), 2, { ...KURTA, price: null }],
    ['an unreadable price → null price', product({ price: '1,299.00' }), 2, { ...KURTA, price: null }],
    ['outofstock → not in stock', product({ stock_status: 'outofstock' }), 2, { ...KURTA, inStock: false }],
    ['onbackorder → in stock (can be bought)', product({ stock_status: 'onbackorder' }), 2, KURTA],
    ['not purchasable', product({ purchasable: false }), 2, { ...KURTA, purchasable: false }],
    ['no images → null image', product({ images: [] }), 2, { ...KURTA, imageUrl: null }],
    ['a draft → gone', product({ status: 'draft' }), 2, null],
    ['a private product → gone', product({ status: 'private' }), 2, null],
    ['a pending product → gone', product({ status: 'pending' }), 2, null],
    [
      'a variation: its own price, its single image, no name',
      variation(),
      2,
      { id: 11, name: '', price: 109900, inStock: true, purchasable: true, imageUrl: 'https://shop.test/kurta-m.jpg' },
    ],
    [
      'a variation without an image (null)',
      variation({ image: null, name: 'Kurta - M' }),
      2,
      { id: 11, name: 'Kurta - M', price: 109900, inStock: true, purchasable: true, imageUrl: null },
    ],
    ['a disabled variation (private) → gone', variation({ status: 'private' }), 2, null],
  ])('%s', (_what, item, digits, expected) => {
    expect(liveProductOf(item, digits)).toEqual(expected);
  });
});
