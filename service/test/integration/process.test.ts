import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { signatureHeaders } from '@cartback/shared';
import { createDb, dropDatabase } from '../../src/db/database';
import { createFakeCloudApi } from '../../src/fake-whatsapp/server';
import { D360_SECRET_HEADER } from '../../src/whatsapp/webhook';
import { testServerUrl } from '../support/db';
import { batch, event } from '../support/events';
import { signedPost } from '../support/http';
import { freePort, run, type Proc } from '../support/process';

/** The environment `npm start` would see, against a database that does not exist yet. */
function freshEnv(port: number): Record<string, string> {
  const url = new URL(testServerUrl());
  url.pathname = `/cartback_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return { DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'info' };
}

/** Starts main.js and waits until it answers /healthz (killing it if it never does). */
async function startMain(env: Record<string, string>): Promise<Proc> {
  const proc = run('main.js', [], env);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`main.js exited: ${proc.stderr()}${proc.stdout()}`);
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return proc;
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`main.js did not answer /healthz: ${proc.stderr()}${proc.stdout()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(proc: Proc): Promise<number | string> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}

describe('npm start', () => {
  let env: Record<string, string>;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    env = freshEnv(port);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => dropDatabase(env.DATABASE_URL!));

  it('creates the database, migrates, generates a secret, prints it once, and never logs it or a phone', async () => {
    const first = await startMain(env);
    const printed = /^ {4}([A-Za-z0-9_-]{43})$/m.exec(first.stdout())?.[1];
    expect(printed).toBeDefined();
    const secret = printed!;
    expect(first.stdout()).toContain('CARTBACK_SECRET');

    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const phone = '+919812340077';
    const reply = await signedPost(base, '/v1/events', batch(event('consent.granted', { phone })), { secret });
    expect(reply).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await stop(first)).toBe(0);

    const second = await startMain(env);
    expect(second.stdout()).not.toContain(secret);
    const again = await signedPost(base, '/v1/events', batch(event('cart.emptied')), { secret });
    expect(again.status).toBe(200);
    expect(await stop(second)).toBe(0);

    const logs = (first.stdout() + second.stdout()).split('\n').filter((l) => l.startsWith('{'));
    expect(logs.length).toBeGreaterThan(3);
    for (const line of logs) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain(secret);
      expect(line).not.toContain(phone.slice(1));
    }
    // The secret appears in the one announcement only.
    expect(first.stdout().split(secret).length).toBe(2);
  });

  it('finishes a request in flight on SIGTERM, then exits 0 and closes the port', async () => {
    const secret = 's'.repeat(40);
    const proc = await startMain({ ...env, CARTBACK_SECRET: secret });
    const body = batch(event('product.viewed'));
    const headers = signatureHeaders(secret, { method: 'POST', path: '/v1/events', body });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${base}/v1/events`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // Half the body now; SIGTERM arrives; the rest afterwards.
      req.write(body.slice(0, 20));
      setTimeout(() => {
        proc.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 200);
    });
    const { status, text } = await response;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ accepted: 1, duplicates: 0 });
    expect(await proc.exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ CARTBACK_SECRET: 'too-short-secret' }, 'CARTBACK_SECRET'],
    [{ STORE_TIMEZONE: 'Europe/Atlantis' }, 'STORE_TIMEZONE'],
  ])('stops with one line naming the variable and exit code 1 for %j', async (bad, variable) => {
    const proc = run('main.js', [], { ...env, ...bad });
    expect(await proc.exited).toBe(1);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^cartback: invalid configuration: ${variable} `));
    expect(proc.stderr()).not.toContain('too-short-secret');
    expect(proc.stdout()).toBe('');
  });

  it('says which database it cannot reach, in one line, exit code 1', async () => {
    const port = await freePort();
    const proc = run('main.js', [], { DATABASE_URL: `mysql://root:pw@127.0.0.1:${port}/cartback`, PORT: '0' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr().trim()).toBe(
      `cartback: cannot reach the database at mysql://root:***@127.0.0.1:${port}/cartback (ECONNREFUSED); check DATABASE_URL`,
    );
  });

  it('with WHATSAPP_PROVIDER=360dialog, takes 360dialog webhooks and sends through 360dialog', async () => {
    const port = await freePort();
    const env = freshEnv(port);
    const secret = 'd'.repeat(40);
    const webhookSecret = 'process-test-webhook-secret';
    const fake = createFakeCloudApi({
      accessToken: 'unused-bearer',
      appSecret: 'unused-secret',
      webhookUrl: `http://127.0.0.1:${port}/v1/webhooks/whatsapp/360dialog`,
      statusDelayMs: 5,
      dialog360: { apiKey: 'process-d360-key', webhookHeaders: { [D360_SECRET_HEADER]: webhookSecret } },
    });
    const fakeUrl = (await fake.listen()).url;
    const proc = await startMain({
      ...env,
      CARTBACK_SECRET: secret,
      LOG_LEVEL: 'warn',
      WHATSAPP_PROVIDER: '360dialog',
      WHATSAPP_API_URL: fakeUrl,
      WHATSAPP_ACCESS_TOKEN: 'process-d360-key',
      WHATSAPP_WEBHOOK_SECRET: webhookSecret,
    });
    try {
      const phone = '+919812345678';
      const granted = await signedPost(
        `http://127.0.0.1:${port}`,
        '/v1/events',
        batch(event('consent.granted', { phone })),
        {
          secret,
        },
      );
      expect(granted.status).toBe(200);
      const res = await fetch(`${fakeUrl}/_sandbox/inbound`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: phone, text: 'STOP' }),
      });
      expect(await res.json()).toMatchObject({ delivered: true, status: 200 });
      // The opt-out confirmation went out through the 360dialog adapter (POST /messages, D360-API-KEY).
      const deadline = Date.now() + 10_000;
      while (!fake.state.messages.some((m) => m.type === 'text' && m.to === phone) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(fake.state.messages).toEqual([expect.objectContaining({ type: 'text', to: phone })]);
      expect(proc.stdout() + proc.stderr()).not.toContain('process-d360-key');
    } finally {
      await stop(proc);
      await fake.close();
      await dropDatabase(env.DATABASE_URL!);
    }
  });
});

describe('npm run cartback -- send-event', () => {
  it('signs and sends the events in a file, filling in id and occurred_at', async () => {
    const port = await freePort();
    const env = freshEnv(port);
    const secret = 'c'.repeat(40);
    const proc = await startMain({ ...env, CARTBACK_SECRET: secret, LOG_LEVEL: 'warn' });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cartback-'));
      const file = join(dir, 'event.json');
      const { id: _id, occurred_at: _at, ...partial } = event('cart.updated', { cart_key: 'cli-cart' });
      writeFileSync(file, JSON.stringify(partial));
      const cli = run('cli.js', ['send-event', file], {
        CARTBACK_SECRET: secret,
        CARTBACK_URL: `http://127.0.0.1:${port}`,
      });
      expect(await cli.exited).toBe(0);
      expect(cli.stdout().trim()).toBe('200 {"accepted":1,"duplicates":0}');

      const db = createDb(env.DATABASE_URL!);
      const cart = await db
        .selectFrom('carts')
        .select(['status', 'item_count'])
        .where('cart_key', '=', 'cli-cart')
        .executeTakeFirst();
      await db.destroy();
      expect(cart).toEqual({ status: 'active', item_count: 1 });

      const wrong = run('cli.js', ['send-event', file], {
        CARTBACK_SECRET: 'x'.repeat(40),
        CARTBACK_URL: `http://127.0.0.1:${port}`,
      });
      expect(await wrong.exited).toBe(1);
      expect(wrong.stdout()).toMatch(/^401 .*invalid_signature/);
    } finally {
      await stop(proc);
      await dropDatabase(env.DATABASE_URL!);
    }
  });
});
