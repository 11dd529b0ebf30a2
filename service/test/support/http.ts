import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeaders } from '@cartback/shared';
import { createApp, type AppDeps } from '../../src/http/app';
import { createLogger, type Logger } from '../../src/logger';
import { createMetrics, type Metrics } from '../../src/metrics';
import type { Db } from '../../src/db/database';
import type { RateLimits } from '../../src/http/rate-limit';
import type { TrustProxy } from '../../src/http/trust-proxy';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { createTestDatabase, type TestDatabase } from './db';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789';

export interface TestServer {
  base: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  storeId?: number;
  storeUrl?: string;
  /** Where the app logs (default: nowhere). */
  logger?: Logger;
  whatsapp?: { appSecret?: string; verifyToken?: string; webhookSecret?: string; provider?: WhatsAppProvider };
  /** The shared secret (default TEST_SECRET). */
  secret?: () => string;
  /** Per-client limits on the link routes (default: the sidecar's defaults). */
  rateLimits?: RateLimits;
  trustProxy?: TrustProxy;
  /** The app's metrics (default: a registry of its own), for a test that also feeds them. */
  metrics?: Metrics;
  /** RECONCILE_WINDOW in ms, as the admin status reports it (default PT36H). */
  reconcileWindowMs?: number;
  /** The WOOCOMMERCE_* credentials and CARTBACK_ENCRYPTION_KEY the app sees (default: none). */
  woocommerce?: AppDeps['woocommerce'];
  /** Told when a template or quality webhook was stored (default: nobody). */
  monitors?: AppDeps['monitors'];
}

/** The real app on an ephemeral port, talking to a real database. */
export async function startTestServer(db: Db, options: TestAppOptions = {}): Promise<TestServer> {
  const app = createApp({
    db,
    logger: options.logger ?? createLogger('silent'),
    metrics: options.metrics ?? createMetrics(),
    storeId: options.storeId ?? 1,
    secret: options.secret ?? (() => TEST_SECRET),
    ...(options.reconcileWindowMs !== undefined ? { reconcileWindowMs: options.reconcileWindowMs } : {}),
    storeUrl: () => options.storeUrl,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.woocommerce ? { woocommerce: options.woocommerce } : {}),
    ...(options.monitors ? { monitors: options.monitors } : {}),
    whatsapp: {
      appSecret: () => options.whatsapp?.appSecret,
      verifyToken: () => options.whatsapp?.verifyToken,
      webhookSecret: () => options.whatsapp?.webhookSecret,
      provider: () => options.whatsapp?.provider,
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, asserted by tests
}

/** POSTs a body signed the way the plugin signs it; `sign` overrides parts of the signing. */
export async function signedPost(
  base: string,
  path: string,
  body: string,
  sign: { secret?: string; nowSeconds?: number; signedBody?: string } = {},
): Promise<Reply> {
  const headers = signatureHeaders(
    sign.secret ?? TEST_SECRET,
    { method: 'POST', path, body: sign.signedBody ?? body },
    sign.nowSeconds,
  );
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * A fresh database with the app on it for the current test file, torn down after the file.
 * Read `.db` and `.base` inside tests (they are set in beforeAll).
 */
export function useTestApp(options: TestAppOptions = {}): { readonly db: Db; readonly base: string } {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.db, options);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  return {
    get db() {
      if (!database) throw new Error('useTestApp: used outside a test');
      return database.db;
    },
    get base() {
      if (!server) throw new Error('useTestApp: used outside a test');
      return server.base;
    },
  };
}

/** A signed request of any method (signed over '' when there is no body), as the plugin sends it. */
export async function signedRequest(
  base: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body = '',
): Promise<Reply> {
  const headers = signatureHeaders(TEST_SECRET, { method, path, body });
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
