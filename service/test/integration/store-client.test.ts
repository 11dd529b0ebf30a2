import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStoreClient, ordersBody, storeApiBase } from '../../src/store/client';
import { TEST_SECRET } from '../support/http';
import { useFakeStore } from '../support/store';

/** The sidecar's client for the plugin's two routes, against the fake of them and broken servers. */
const fake = useFakeStore();
const query = {
  since: new Date('2026-11-21T10:00:00Z'),
  cartKey: 'k1',
  phone: '+919812345678',
  email: 'a@example.com',
};

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('storeApiBase', () => {
  const reported = 'https://shop.example/wp-json/cartback/v1/';
  it.each([
    [
      'STORE_API_URL wins',
      { configured: 'http://wordpress/wp-json/cartback/v1', reported, storeUrl: 'https://shop.example' },
      'http://wordpress/wp-json/cartback/v1',
    ],
    [
      'then what the plugin reported',
      { reported, storeUrl: 'https://other.example' },
      'https://shop.example/wp-json/cartback/v1',
    ],
    [
      "then STORE_URL's REST base",
      { reported: null, storeUrl: 'https://shop.example/' },
      'https://shop.example/wp-json/cartback/v1',
    ],
    ['else none: no store to ask', { reported: null }, null],
  ])('%s', (_what, known, expected) => {
    expect(storeApiBase(known)).toBe(expected);
  });
});

describe('the store client', () => {
  it("sends the contract's body, signed so the plugin's check passes, and reads the answer", async () => {
    fake.store.orders.push({
      order_id: 7,
      status: 'processing',
      created_at: new Date('2026-11-21T10:05:00Z'),
      email: 'A@example.com',
    });
    const client = createStoreClient({ baseUrl: fake.store.apiUrl, secret: () => TEST_SECRET });
    expect(await client.orders(query)).toEqual({
      ok: true,
      value: { ordered: true, orders: [{ order_id: 7, status: 'processing', created_at: '2026-11-21T10:05:00.000Z' }] },
    });
    expect(await client.deliver()).toEqual({ ok: true, value: { sent: 0, pending: 0 } });
    expect(fake.store.calls.map((c) => [c.route, c.signed, c.body])).toEqual([
      [
        'orders',
        true,
        { since: '2026-11-21T10:00:00.000Z', cart_key: 'k1', phone: '+919812345678', email: 'a@example.com' },
      ],
      ['deliver', true, {}],
    ]);
    expect(ordersBody({ since: query.since, customerId: 12 })).toEqual({
      since: '2026-11-21T10:00:00.000Z',
      customer_id: 12,
    });
  });

  it('counts a refused connection, a timeout, a redirect, another status or a wrong shape as no answer, saying which', async () => {
    const closed = await serve(() => undefined);
    const closedUrl = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const hanging = await serve(() => undefined);
    const redirect = await serve((_req, res) => res.writeHead(302, { Location: '/wp-login.php' }).end());
    const text = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>'));
    const shape = await serve((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ordered":"no","orders":[]}'),
    );
    try {
      const ask = (url: string) =>
        createStoreClient({ baseUrl: url, secret: () => TEST_SECRET, timeoutMs: 300 }).orders(query);
      const answers = [
        await ask(closedUrl),
        await ask(hanging.url),
        await ask(redirect.url),
        await ask(text.url),
        await ask(shape.url),
      ];
      expect(answers).toEqual([
        { ok: false, error: '/sidecar/orders: ECONNREFUSED' },
        { ok: false, error: '/sidecar/orders: ECONNABORTED' },
        { ok: false, error: '/sidecar/orders: HTTP 302' },
        { ok: false, error: '/sidecar/orders: the answer is not JSON' },
        { ok: false, error: '/sidecar/orders: unexpected answer ("ordered" must be a boolean)' },
      ]);
      // What may be logged never carries the secret, the phone or the email.
      for (const answer of answers) {
        const said = JSON.stringify(answer);
        for (const secret of [TEST_SECRET, '9812345678', 'a@example.com']) expect(said).not.toContain(secret);
      }
    } finally {
      for (const { server } of [hanging, redirect, text, shape]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
