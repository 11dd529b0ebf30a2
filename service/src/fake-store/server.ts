import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@cartback/shared';

/**
 * A fake of the plugin's two routes the sidecar calls (a test double, for the tests, the demo and
 * the system run; never used by the sidecar itself): `POST …/sidecar/deliver` and
 * `POST …/sidecar/orders`, under `/wp-json/cartback/v1` or, as on a store with plain
 * permalinks, `/index.php?rest_route=/cartback/v1/…`. Each request's signature is checked with
 * the shared package's own code against the path and query as requested, as the plugin does;
 * a bad one gets WordPress's 401 `cartback_unauthorized`.
 *
 * The test drives it: the orders the store holds, `mode` (`up`; `down`: 503 with an HTML page,
 * as a broken WordPress answers; `garbage`: 200 with JSON of the wrong shape), and hooks that
 * run before an answer (to deliver events into the sidecar during the call, as the real
 * plugin's outbox does).
 */

export interface FakeOrder {
  order_id: number;
  status: string;
  created_at: Date;
  cart_key?: string;
  phone?: string;
  email?: string;
  customer_id?: number;
}

export interface FakeStoreCall {
  route: 'deliver' | 'orders';
  /** The path and query as requested. */
  path: string;
  body: unknown;
  signed: boolean;
}

export interface FakeStore {
  /** The site's home URL (`http://127.0.0.1:<port>`), a STORE_URL. */
  readonly url: string;
  /** The routes' base as the plugin reports it in store.updated (`…/wp-json/cartback/v1`). */
  readonly apiUrl: string;
  /** The same base on plain permalinks (`…/index.php?rest_route=/cartback/v1`). */
  readonly plainApiUrl: string;
  orders: FakeOrder[];
  mode: 'up' | 'down' | 'garbage';
  readonly calls: FakeStoreCall[];
  /** Runs before `/sidecar/deliver` answers; returns what it delivered. */
  onDeliver?: () => Promise<number>;
  /** Runs before `/sidecar/orders` answers (the plugin delivers its outbox first). */
  onOrders?: (body: OrdersRequest) => Promise<void>;
  close(): Promise<void>;
}

interface OrdersRequest {
  since: string;
  cart_key?: string;
  phone?: string;
  email?: string;
  customer_id?: number;
}

const ROUTE = /^\/cartback\/v1\/sidecar\/(deliver|orders)$/;

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The route a request asks for, from its pretty or plain-permalink URL; null for anything else. */
function routeOf(path: string): 'deliver' | 'orders' | null {
  const url = new URL(path, 'http://store.invalid');
  const rest = url.pathname.startsWith('/wp-json/')
    ? url.pathname.slice('/wp-json'.length)
    : (url.searchParams.get('rest_route') ?? '');
  const match = ROUTE.exec(rest);
  return match ? (match[1] as 'deliver' | 'orders') : null;
}

function matches(order: FakeOrder, query: OrdersRequest, since: number): boolean {
  if (order.created_at.getTime() < since) return false;
  return (
    (query.cart_key !== undefined && order.cart_key === query.cart_key) ||
    (query.customer_id !== undefined && order.customer_id === query.customer_id) ||
    (query.email !== undefined && order.email?.toLowerCase() === query.email.toLowerCase()) ||
    (query.phone !== undefined && order.phone === query.phone)
  );
}

export async function startFakeStore(options: { secret: string; host?: string; port?: number }): Promise<FakeStore> {
  let server: Server | null = null;
  const store: FakeStore = {
    url: '',
    apiUrl: '',
    plainApiUrl: '',
    orders: [],
    mode: 'up',
    calls: [],
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const raw = await readBody(req);
    const route = req.method === 'POST' ? routeOf(path) : null;
    if (!route) return send(res, 404, { code: 'rest_no_route', message: 'No route was found', data: { status: 404 } });
    const verdict = verifySignature(
      options.secret,
      {
        timestamp: req.headers['x-cartback-timestamp'] as string | undefined,
        signature: req.headers['x-cartback-signature'] as string | undefined,
      },
      { method: 'POST', path, body: raw },
      Math.floor(Date.now() / 1000),
    );
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    store.calls.push({ route, path, body, signed: verdict.ok });
    if (!verdict.ok) {
      return send(res, 401, { code: 'cartback_unauthorized', message: verdict.message, data: { status: 401 } });
    }
    if (store.mode === 'down')
      return send(res, 503, '<html><body>Error establishing a database connection</body></html>', 'text/html');
    if (store.mode === 'garbage') return send(res, 200, { ok: true, result: 'maybe' });
    if (route === 'deliver') {
      const sent = (await store.onDeliver?.()) ?? 0;
      return send(res, 200, { sent, pending: 0 });
    }
    const query = (body ?? {}) as OrdersRequest;
    const since = typeof query.since === 'string' ? Date.parse(query.since) : NaN;
    if (Number.isNaN(since)) {
      return send(res, 400, {
        code: 'cartback_invalid',
        message: 'since must be an ISO 8601 time',
        data: { status: 400, param: 'since' },
      });
    }
    await store.onOrders?.(query);
    const found = store.orders.filter((o) => matches(o, query, since)).slice(0, 10);
    return send(res, 200, {
      ordered: found.length > 0,
      orders: found.map((o) => ({ order_id: o.order_id, status: o.status, created_at: o.created_at.toISOString() })),
    });
  }

  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { code: 'internal', message: String(error) }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server?.listen(options.port ?? 0, host, () => resolve()));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  Object.assign(store, {
    url,
    apiUrl: `${url}/wp-json/cartback/v1`,
    plainApiUrl: `${url}/index.php?rest_route=/cartback/v1`,
  });
  return store;
}
