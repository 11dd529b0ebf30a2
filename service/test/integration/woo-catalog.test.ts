import type { CatalogItem } from '../../src/engine/catalog';
import { startFakeWoo, type FakeWoo } from '../../src/fake-woo/server';
import { wooCatalog } from '../../src/woo/catalog';
import { WooClient } from '../../src/woo/client';

let woo: FakeWoo;
beforeEach(async () => {
  woo = await startFakeWoo();
});
afterEach(async () => {
  await woo.close();
});

const client = (secret = woo.consumerSecret) =>
  new WooClient({ url: woo.url, consumerKey: woo.consumerKey, consumerSecret: secret });
const reader = (c: WooClient | null = client(), currency = 'INR') =>
  wooCatalog(
    async () => c,
    async () => currency,
  );
const simple = (id: number): CatalogItem => ({ id, parentId: null });
const requestsTo = (path: string) => woo.requests.filter((r) => r.path === `/wp-json/wc/v3/${path}`);

describe('wooCatalog: the live check read from the WooCommerce REST API double', () => {
  it('reads a simple product from products and a variation under its parent, one request each', async () => {
    const tee = woo.addProduct({ name: 'Tee', price: '499.00', images: [{ src: 'https://shop.test/tee.jpg' }] });
    const kurta = woo.addProduct({ name: 'Kurta', price: '1299' });
    const medium = woo.state.addVariation(kurta.id, {
      price: '1099.50',
      stock_status: 'onbackorder',
      image: { src: 'https://shop.test/kurta-m.jpg' },
    });
    const large = woo.state.addVariation(kurta.id, { price: '1199', stock_status: 'outofstock' });

    const live = await reader()([
      simple(tee.id),
      { id: medium.id, parentId: kurta.id },
      { id: large.id, parentId: kurta.id },
    ]);

    expect(live?.get(tee.id)).toMatchObject({ price: 49900, inStock: true, imageUrl: 'https://shop.test/tee.jpg' });
    expect(live?.get(medium.id)).toMatchObject({
      price: 109950,
      inStock: true,
      purchasable: true,
      imageUrl: 'https://shop.test/kurta-m.jpg',
    });
    expect(live?.get(large.id)).toMatchObject({ price: 119900, inStock: false });
    // The parent itself was not asked about, so it is not in the answer.
    expect(live?.has(kurta.id)).toBe(false);
    expect(requestsTo('products').map((r) => r.query.include)).toEqual([String(tee.id)]);
    expect(requestsTo(`products/${kurta.id}/variations`)).toHaveLength(1);
    expect(requestsTo(`products/${kurta.id}/variations`)[0]?.query).toMatchObject({ per_page: '100' });
  });

  it('leaves out an unpublished product, a deleted one, and every variation of a deleted parent', async () => {
    const draft = woo.addProduct({ name: 'Draft', price: '10', status: 'draft' });
    const gone = woo.addProduct({ name: 'Gone', price: '10' });
    const parent = woo.addProduct({ name: 'Kurta', price: '1299' });
    const variation = woo.state.addVariation(parent.id, { price: '1299' });
    const kept = woo.addProduct({ name: 'Kept', price: '10' });
    woo.state.deleteProduct(gone.id);
    woo.state.deleteProduct(parent.id);

    const live = await reader()([
      simple(draft.id),
      simple(gone.id),
      { id: variation.id, parentId: parent.id },
      simple(kept.id),
    ]);

    expect(live && [...live.keys()]).toEqual([kept.id]);
    expect(requestsTo(`products/${parent.id}/variations`)).toHaveLength(1);
  });

  it('answers a price of "" as a null price (unavailable), not as the old price', async () => {
    const noPrice = woo.addProduct({ name: 'No price', price: '' });
    const live = await reader()([simple(noPrice.id)]);
    expect(live?.get(noPrice.id)).toMatchObject({ price: null, purchasable: false });
  });

  it('answers null (nothing checked, nothing deleted) when the store refuses the key (401)', async () => {
    const tee = woo.addProduct({ name: 'Tee', price: '499' });
    const parent = woo.addProduct({ name: 'Kurta', price: '1299' });
    const variation = woo.state.addVariation(parent.id, { price: '1299' });
    const bad = client('cs_wrong');
    expect(await reader(bad)([simple(tee.id)])).toBeNull();
    expect(await reader(bad)([{ id: variation.id, parentId: parent.id }])).toBeNull();
  });

  it('answers null without asking the store when there is no access', async () => {
    const tee = woo.addProduct({ name: 'Tee', price: '499' });
    expect(await reader(null)([simple(tee.id)])).toBeNull();
    expect(woo.requests).toEqual([]);
  });

  it('answers null when the store does not answer in time', async () => {
    const tee = woo.addProduct({ name: 'Tee', price: '499' });
    woo.delayMs = 300;
    const slow = new WooClient(
      { url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret },
      { timeoutMs: 50 },
    );
    expect(await reader(slow)([simple(tee.id)])).toBeNull();
  });
});
