import { startFakeWoo, type FakeWoo } from '../../src/fake-woo/server';
import { WooClient, type WooCredentials } from '../../src/woo/client';
import { WooError, WooUnreachableError } from '../../src/woo/errors';

let woo: FakeWoo;
const credentials = (): WooCredentials => ({
  url: woo.url,
  consumerKey: woo.consumerKey,
  consumerSecret: woo.consumerSecret,
});

beforeEach(async () => {
  woo = await startFakeWoo();
});
afterEach(async () => {
  await woo.close();
});

/** The requests the double saw to one path (without credentials). */
const requestsTo = (path: string) => woo.requests.filter((r) => r.path === `/wp-json/wc/v3/${path}`);

describe('WooClient against the WooCommerce REST API double (OAuth 1.0a over http, as WooCommerce wants)', () => {
  it('reads the products asked for with their live price and stock, reading every page', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(woo.addProduct({ name: `Kurta ${i}`, price: `${1299 + i}.50` }).id);
    woo.addProduct({ name: 'Not asked for', price: '10' });
    woo.state.updateProduct(ids[1] as number, { stock_status: 'outofstock', stock_quantity: 0 });
    woo.state.updateProduct(ids[2] as number, { price: '999', sale_price: '999' });

    const products = await new WooClient(credentials(), { pageSize: 2 }).products(ids);

    expect(products.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(products.find((p) => p.id === ids[1])).toMatchObject({ stock_status: 'outofstock', stock_quantity: 0 });
    expect(products.find((p) => p.id === ids[2])).toMatchObject({ price: '999', regular_price: '1301.50' });
    expect(products.find((p) => p.id === ids[0])).toMatchObject({
      name: 'Kurta 0',
      price: '1299.50',
      purchasable: true,
    });
    // 5 products 2 a page: pages 1, 2 and 3, following X-WP-TotalPages.
    expect(requestsTo('products').map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(requestsTo('products').every((r) => r.query.per_page === '2')).toBe(true);
  });

  it('asks for at most 100 ids at a time, and leaves out products the store no longer has', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) ids.push(woo.addProduct({ name: `P${i}`, price: '5' }).id);
    woo.state.deleteProduct(ids[7] as number);

    const products = await new WooClient(credentials()).products([...ids, ...ids.slice(0, 10)]);

    expect(products).toHaveLength(249);
    expect(products.some((p) => p.id === ids[7])).toBe(false);
    const asked = requestsTo('products').map((r) => (r.query.include as string).split(',').length);
    expect(asked).toEqual([100, 100, 50]);
  });

  it('asks nothing for no ids', async () => {
    expect(await new WooClient(credentials()).products([])).toEqual([]);
    expect(woo.requests).toHaveLength(0);
  });

  it('makes a coupon, lists it, and deletes it for good', async () => {
    const client = new WooClient(credentials());
    const coupon = await client.createCoupon({
      code: 'CB-7QK2M9XD',
      discount_type: 'fixed_cart',
      amount: '100',
      usage_limit: 1,
      individual_use: true,
      email_restrictions: ['asha@example.com'],
      date_expires: '2026-12-09T10:00:00Z',
      minimum_amount: '500',
    });
    expect(coupon).toMatchObject({
      code: 'cb-7qk2m9xd',
      discount_type: 'fixed_cart',
      amount: '100.00',
      usage_limit: 1,
      usage_count: 0,
      individual_use: true,
      email_restrictions: ['asha@example.com'],
      date_expires_gmt: '2026-12-09T10:00:00',
      minimum_amount: '500.00',
    });
    woo.state.setUsageCount(coupon.id, 1, ['asha@example.com']);
    expect(await client.listCoupons({ code: 'cb-7qk2m9xd', search: undefined })).toEqual([
      expect.objectContaining({ id: coupon.id, usage_count: 1, used_by: ['asha@example.com'] }),
    ]);

    // WooCommerce 10.5 takes the expiry from date_expires only (a real store kept a coupon sent
    // with date_expires_gmt alone without any expiry): the double does the same.
    const trap = await client.createCoupon({
      code: 'CB-GMTONLY22',
      discount_type: 'fixed_cart',
      amount: '50',
      date_expires_gmt: '2026-12-09T10:00:00',
    } as Parameters<WooClient['createCoupon']>[0]);
    expect(trap.date_expires_gmt).toBeNull();
    await client.deleteCoupon(trap.id);

    await client.deleteCoupon(coupon.id);
    expect(await client.listCoupons()).toEqual([]);
    expect(requestsTo(`coupons/${coupon.id}`)).toEqual([
      expect.objectContaining({ method: 'DELETE', query: { force: 'true' } }),
    ]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['individual_use', { individual_use: 'yes' }],
    ['usage_limit_per_user', { usage_limit_per_user: '1' }],
    ['maximum_amount', { maximum_amount: 5000 }],
    ['email_restrictions', { email_restrictions: [42] }],
  ])('refuses a coupon whose %s is not of its schema type (400 rest_invalid_param)', async (field, patch) => {
    const input = { code: 'CB-BADFIELD22', discount_type: 'percent', amount: '10', ...patch };
    const error = await new WooClient(credentials()).createCoupon(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooError);
    expect(error).toMatchObject({ status: 400, code: 'rest_invalid_param', message: `Invalid parameter(s): ${field}` });
    expect(woo.state.coupons.size).toBe(0);
  });

  it('lists coupons across pages', async () => {
    for (let i = 0; i < 5; i++)
      woo.state.createCoupon({ code: `code-${i}`, discount_type: 'percent', amount: '10' }, new Date());
    const coupons = await new WooClient(credentials()).listCoupons({ per_page: 2 });
    expect(coupons.map((c) => c.code).sort()).toEqual(['code-0', 'code-1', 'code-2', 'code-3', 'code-4']);
    expect(requestsTo('coupons').map((r) => r.query.page)).toEqual(['1', '2', '3']);
  });

  it('says when a code is taken', async () => {
    const client = new WooClient(credentials());
    await client.createCoupon({ code: 'taken', discount_type: 'percent', amount: '5' });
    await expect(client.createCoupon({ code: 'TAKEN', discount_type: 'percent', amount: '5' })).rejects.toMatchObject({
      status: 400,
      code: 'woocommerce_rest_coupon_code_already_exists',
    });
  });

  it('maps a wrong secret to a 401 WooError, and a missing coupon to a 404 one', async () => {
    const wrong = new WooClient({ ...credentials(), consumerSecret: `cs_${'9'.repeat(40)}` });
    const refused = await wrong.products([1]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WooError);
    expect(refused).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error' });
    expect(JSON.stringify(refused) + String(refused)).not.toContain('cs_');

    const missing = await new WooClient(credentials()).deleteCoupon(424242).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WooError);
    expect(missing).toMatchObject({ status: 404, code: 'woocommerce_rest_shop_coupon_invalid_id' });
  });

  it('gives up after the timeout, as unreachable', async () => {
    woo.delayMs = 1_000;
    const started = Date.now();
    const error = await new WooClient(credentials(), { timeoutMs: 200 }).products([1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooUnreachableError);
    expect((error as WooUnreachableError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports a store that is not there as unreachable', async () => {
    const url = woo.url;
    await woo.close();
    const error = await new WooClient({ ...credentials(), url }).products([1]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WooUnreachableError', reason: 'network' });
  });
});

describe('the double itself', () => {
  const auth = (key: string, secret: string) => ({
    Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
  });

  it('takes Basic credentials only as is_ssl() allows, and answers with WooCommerce errors', async () => {
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${woo.url}/wp-json/wc/v3/${path}`, { headers });
      return {
        status: res.status,
        body: (await res.json()) as { code: string; data: { status: number } },
        total: res.headers.get('x-wp-totalpages'),
      };
    };
    woo.addProduct({ name: 'Saree', price: '2500' });
    expect(await get('products?per_page=10', auth(woo.consumerKey, woo.consumerSecret))).toMatchObject({
      status: 200,
      total: '1',
    });
    expect(await get('products')).toMatchObject({
      status: 401,
      body: { code: 'woocommerce_rest_cannot_view', data: { status: 401 } },
    });
    expect(await get('products', auth(woo.consumerKey, 'cs_wrong'))).toMatchObject({
      status: 401,
      body: { code: 'woocommerce_rest_authentication_error' },
    });
    expect(await get('products?per_page=101', auth(woo.consumerKey, woo.consumerSecret))).toMatchObject({
      status: 400,
      body: { code: 'rest_invalid_param' },
    });
    expect(await get('products?include=1,x', auth(woo.consumerKey, woo.consumerSecret))).toMatchObject({
      status: 400,
      body: { code: 'rest_invalid_param' },
    });
    expect(await get('products/999', auth(woo.consumerKey, woo.consumerSecret))).toMatchObject({
      status: 404,
      body: { code: 'woocommerce_rest_product_invalid_id' },
    });
    expect(await get(`products?consumer_key=${woo.consumerKey}&consumer_secret=${woo.consumerSecret}`)).toMatchObject({
      status: 200,
    });

    woo.ssl = false;
    expect(await get('products', auth(woo.consumerKey, woo.consumerSecret))).toMatchObject({ status: 401 });
  });
});
