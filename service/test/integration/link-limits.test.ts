import { signatureHeaders } from '@cartback/shared';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestServer, TEST_SECRET, type TestAppOptions, type TestServer } from '../support/http';
import { insertLink, open } from '../support/links';

let database: TestDatabase;
const servers: TestServer[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await database.drop();
});

/** A sidecar of its own (so a budget of its own) on the shared database: 3 link opens, 2 restores a minute. */
async function sidecar(options: TestAppOptions = {}): Promise<string> {
  const server = await startTestServer(database.db, {
    storeUrl: 'https://shop.example/',
    rateLimits: { linkPerMinute: 3, restorePerMinute: 2 },
    ...options,
  });
  servers.push(server);
  return server.base;
}

const restore = (base: string, token: string) => {
  const path = `/v1/restore/${token}`;
  return fetch(base + path, { headers: signatureHeaders(TEST_SECRET, { method: 'GET', path, body: '' }) });
};

const statuses = async (base: string, codes: string[], headers: (i: number) => Record<string, string> = () => ({})) => {
  const result: number[] = [];
  for (const [i, code] of codes.entries()) result.push((await open(base, code, headers(i))).status);
  return result;
};

describe('per-client rate limits', () => {
  it('shows a shopper over the link limit a page (429, Retry-After), recording nothing more', async () => {
    const base = await sidecar();
    const code = await insertLink(database.db);
    expect(await statuses(base, ['NoSuchCode1', '%ZZ', code])).toEqual([404, 404, 302]);

    const res = await fetch(`${base}/r/${code}`, { redirect: 'manual' });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const page = await res.text();
    expect(page).toContain('Too many tries');
    expect(page).toContain('href="https://shop.example/"');
    expect(await database.db.selectFrom('clicks').select('opens').where('code', '=', code).execute()).toEqual([
      { opens: 1 },
    ]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('cartback_rate_limited_total{route="/r/:code"} 1');
    expect(metrics).toContain('cartback_link_opens_total{outcome="gone"} 1');
  });

  it('answers the plugin over the restore limit with the JSON error, 429 and Retry-After', async () => {
    const base = await sidecar();
    const token = 'C'.repeat(43);
    expect([(await restore(base, token)).status, (await restore(base, token)).status]).toEqual([404, 404]);
    const res = await restore(base, token);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many restore requests; try again in \d+ s$/),
      },
    });
    // The shopper's links have a budget of their own.
    expect(await statuses(base, ['NoSuchCode1'])).toEqual([404]);
  });

  it('ignores X-Forwarded-For by default: a client cannot name itself anew to get a fresh budget', async () => {
    const base = await sidecar();
    const forwarded = (i: number) => ({ 'X-Forwarded-For': `203.0.113.${i + 1}` });
    expect(await statuses(base, Array(5).fill('NoSuchCode1'), forwarded)).toEqual([404, 404, 404, 429, 429]);
  });

  it('ignores X-Forwarded-For from a peer outside the trusted proxies', async () => {
    const base = await sidecar({ trustProxy: ['10.0.0.0/8'] });
    const forwarded = (i: number) => ({ 'X-Forwarded-For': `203.0.113.${i + 1}` });
    expect(await statuses(base, Array(4).fill('NoSuchCode1'), forwarded)).toEqual([404, 404, 404, 429]);
  });

  it.each([[1], [['loopback']]])(
    'counts each shopper behind a trusted proxy (TRUST_PROXY %j) on their own',
    async (trustProxy) => {
      const base = await sidecar({ trustProxy });
      const anna = () => ({ 'X-Forwarded-For': '203.0.113.7' });
      const ravi = () => ({ 'X-Forwarded-For': '198.51.100.9, 203.0.113.99' });
      const codes = Array(4).fill('NoSuchCode1');
      expect(await statuses(base, codes, anna)).toEqual([404, 404, 404, 429]);
      // Ravi's address is the last one the proxy added: the hop before it is his own to make up.
      expect(await statuses(base, codes, ravi)).toEqual([404, 404, 404, 429]);
    },
  );
});
