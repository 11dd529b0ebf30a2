import { countRows } from '../support/db';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';

/**
 * Issue 9: no request, however malformed, gets a 5xx — each of these is refused with a 400 that
 * names the field at fault, and nothing of the batch is stored.
 */
const t = useTestApp();
const post = (body: string) => signedPost(t.base, '/v1/events', body);

async function counts(): Promise<Record<string, number>> {
  const tables = ['inbound_events', 'contacts', 'consent_ledger', 'carts', 'orders', 'product_views'];
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await countRows(t.db, table);
  return out;
}

/** Posts `bad` after a valid event: the whole batch must be refused, naming `path` in events[1]. */
async function expectRefused(bad: unknown, path: string): Promise<void> {
  const before = await counts();
  const reply = await post(batch(event('product.viewed'), bad));
  expect(reply.status).toBe(400);
  expect(reply.body.error).toEqual({ code: 'invalid_event', message: expect.stringContaining(path), path });
  expect(await counts()).toEqual(before);
}

describe('POST /v1/events: integers the database cannot hold', () => {
  it.each([4294967296, Number.MAX_SAFE_INTEGER])(
    'refuses consent.granted with text_version %d (INT UNSIGNED) with 400, storing nothing',
    async (version) => {
      await expectRefused(event('consent.granted', { text_version: version }), 'events[1].data.text_version');
    },
  );

  it('still takes the largest text_version the column holds', async () => {
    const reply = await post(batch(event('consent.granted', { text_version: 4294967295 })));
    expect(reply).toMatchObject({ status: 200, body: { accepted: 1 } });
  });

  it('refuses a quantity or an id beyond what a JSON number holds exactly', async () => {
    const cart = event('cart.updated');
    const line = { ...cart.data.lines[0], product_id: 2 ** 53 };
    await expectRefused({ ...cart, data: { ...cart.data, lines: [line] } }, 'events[1].data.lines[0].product_id');
  });
});

describe('POST /v1/events: times that are not real instants', () => {
  it.each([
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '0999-12-31T23:59:59Z',
    '1999-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21T10:15:00',
    '2026-11-21T10:15:00+0000',
  ])('refuses occurred_at %s with 400, storing nothing', async (occurredAt) => {
    await expectRefused(event('cart.emptied', {}, occurredAt), 'events[1].occurred_at');
  });

  it('refuses an occurred_at more than a day ahead', async () => {
    const ahead = new Date(Date.now() + 25 * 3600_000).toISOString();
    await expectRefused(event('cart.emptied', {}, ahead), 'events[1].occurred_at');
  });

  it('takes 2000-01-01, +00:00 and a fraction', async () => {
    const reply = await post(
      batch(
        event('cart.emptied', {}, '2000-01-01T00:00:00Z'),
        event('cart.emptied', {}, '2024-02-29T12:00:00+00:00'),
        event('cart.emptied', {}, '2026-11-21T10:15:00.123456Z'),
      ),
    );
    expect(reply).toMatchObject({ status: 200, body: { accepted: 3 } });
  });
});

describe('POST /v1/events: bodies nested too deep', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

  it('refuses an unknown key holding 10,000 nested arrays with 400 naming where, storing nothing', async () => {
    const before = await counts();
    const deep = JSON.stringify(event('cart.emptied')).replace('"data":{', `"data":{"deep":${nested(10_000)},`);
    const body = `{"events":[${JSON.stringify(event('product.viewed'))},${deep}]}`;
    expect(body.length).toBeLessThan(25_000);
    const reply = await post(body);
    expect(reply.status).toBe(400);
    const path = `events[1].data.deep${'[0]'.repeat(28)}`;
    expect(reply.body.error).toEqual({ code: 'too_deep', message: `${path} is nested deeper than 32 levels`, path });
    expect(await counts()).toEqual(before);
  });

  it('refuses one at the top of the body too', async () => {
    const body = batch(event('cart.emptied')).replace(/^\{/, `{"pad":${nested(10_000)},`);
    const reply = await post(body);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'too_deep', path: `pad${'[0]'.repeat(31)}` } } });
  });

  it('takes a body nested exactly 32 levels', async () => {
    // body, events, the event, data, deep: 5 levels; 27 more arrays inside make 32.
    const body = batch(event('cart.emptied')).replace('"data":{', `"data":{"deep":${nested(28)},`);
    expect(await post(body)).toMatchObject({ status: 200, body: { accepted: 1 } });
  });
});
