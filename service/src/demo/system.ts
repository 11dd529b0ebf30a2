import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join, sep } from 'node:path';
import { signatureHeaders } from '@cartback/shared';
import { startFakeStore, type FakeStore } from '../fake-store/server';
import { startFakeWoo, type FakeWoo } from '../fake-woo/server';

/**
 * The whole system on one machine, for the demo and the end-to-end tests: the fake WhatsApp
 * Cloud API (a test double) and the sidecar, each in its own process, wired to each other, and,
 * unless a real store is given (`storeUrl`), a fake of the plugin's two signed routes in this
 * process as STORE_URL, so the sidecar's pre-send re-check has a store to ask.
 */

/** The compiled entry points (this file runs compiled in the demo, from source under Jest). */
const DIST = join(
  __dirname.split(`${sep}dist${sep}`)[0]?.replace(/[\\/]src[\\/]demo$/, '') ?? __dirname,
  'dist',
  'src',
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

/** The tests' clock (tools/jest-clock.js), when one is set, for a child process to run on too. */
export function testClock(): Record<string, string> {
  const offset = process.env.CARTBACK_TEST_CLOCK_OFFSET_MS;
  return offset ? { CARTBACK_TEST_CLOCK_OFFSET_MS: offset, NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' } : {};
}

export function runNode(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(DIST, script)], {
    env: { PATH: process.env.PATH ?? '', ...testClock(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-200_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => out, exited };
}

export async function waitForHttp(url: string, proc: Proc, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`process exited: ${proc.output()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface SystemOptions {
  databaseUrl: string;
  storeUrl?: string;
  logLevel?: string;
  fakeStatusDelayMs?: number;
  fakeRateLimit?: number;
  /** Also start a fake of WooCommerce's REST API (a test double) and give the sidecar its key. */
  woo?: boolean;
}

export interface System {
  sidecarUrl: string;
  fakeUrl: string;
  secret: string;
  sidecarEnv: Record<string, string>;
  sidecar: Proc;
  fake: Proc;
  /** The fake store's routes, when no `storeUrl` was given. */
  store: FakeStore | null;
  /** The fake of WooCommerce's REST API (products, coupons), when `woo` was asked for. */
  woo: FakeWoo | null;
  /** A signed call to the sidecar, as the plugin makes it. */
  call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** A call to the fake's sandbox. */
  sandbox(path: string, body?: unknown): Promise<unknown>;
  /** Starts the sidecar again (after it stopped or was killed). */
  restartSidecar(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSystem(options: SystemOptions): Promise<System> {
  const [fakePort, sidecarPort] = [await freePort(), await freePort()];
  const secret = randomBytes(24).toString('base64url');
  const appSecret = randomBytes(16).toString('hex');
  const token = randomBytes(16).toString('hex');
  const sidecarUrl = `http://127.0.0.1:${sidecarPort}`;
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const logLevel = options.logLevel ?? 'warn';
  const store = options.storeUrl ? null : await startFakeStore({ secret });
  // Plain http on 127.0.0.1: the sidecar's client signs with OAuth 1.0a there, as WooCommerce wants.
  const woo = options.woo ? await startFakeWoo({ ssl: false }) : null;
  const fake = runNode('fake-whatsapp/main.js', {
    PORT: String(fakePort),
    FAKE_WEBHOOK_URL: `${sidecarUrl}/v1/webhooks/whatsapp/cloud`,
    FAKE_APP_SECRET: appSecret,
    FAKE_ACCESS_TOKEN: token,
    FAKE_STATUS_DELAY_MS: String(options.fakeStatusDelayMs ?? 100),
    FAKE_RATE_LIMIT: String(options.fakeRateLimit ?? 80),
    LOG_LEVEL: logLevel,
  });
  await waitForHttp(`${fakeUrl}/_sandbox/health`, fake).catch(async (error: unknown) => {
    fake.child.kill('SIGKILL');
    await store?.close();
    await woo?.close();
    throw error;
  });
  const sidecarEnv: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    PORT: String(sidecarPort),
    PUBLIC_BASE_URL: sidecarUrl,
    CARTBACK_SECRET: secret,
    STORE_URL: options.storeUrl ?? store?.url ?? '',
    STORE_TIMEZONE: 'UTC',
    STORE_CURRENCY: 'INR',
    STORE_LOCALE: 'en-IN',
    WHATSAPP_API_URL: fakeUrl,
    WHATSAPP_ACCESS_TOKEN: token,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_WABA_ID: '102290129340398',
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: 'demo-verify-token',
    ENGINE_TICK_SECONDS: '1',
    LOG_LEVEL: logLevel,
    ...(woo
      ? {
          WOOCOMMERCE_URL: woo.url,
          WOOCOMMERCE_CONSUMER_KEY: woo.consumerKey,
          WOOCOMMERCE_CONSUMER_SECRET: woo.consumerSecret,
        }
      : {}),
  };
  const system: System = {
    sidecarUrl,
    fakeUrl,
    secret,
    sidecarEnv,
    sidecar: runNode('main.js', sidecarEnv),
    fake,
    store,
    woo,
    async call(method, path, body) {
      const raw = body === undefined ? '' : JSON.stringify(body);
      const res = await fetch(sidecarUrl + path, {
        method,
        headers: { 'Content-Type': 'application/json', ...signatureHeaders(secret, { method, path, body: raw }) },
        ...(method === 'GET' ? {} : { body: raw }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async sandbox(path, body) {
      const res = await fetch(`${fakeUrl}/_sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.json() as Promise<unknown>;
    },
    async restartSidecar() {
      system.sidecar = runNode('main.js', sidecarEnv);
      await waitForHttp(`${sidecarUrl}/readyz`, system.sidecar);
    },
    async stop() {
      for (const proc of [system.sidecar, fake]) {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
      }
      await Promise.all([system.sidecar.exited, fake.exited]);
      await store?.close();
      await woo?.close();
    },
  };
  try {
    await waitForHttp(`${sidecarUrl}/readyz`, system.sidecar);
  } catch (error) {
    system.sidecar.child.kill('SIGKILL');
    fake.child.kill('SIGKILL');
    await store?.close();
    await woo?.close();
    throw error;
  }
  return system;
}
