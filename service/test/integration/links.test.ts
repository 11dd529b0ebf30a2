import { createHash } from 'node:crypto';
import { signatureHeaders, type ApiErrorBody } from '@cartback/shared';
import { createDb, type Db } from '../../src/db/database';
import { newLinkCode } from '../../src/links/codes';
import { createLogger } from '../../src/logger';
import { batch, event, minutesAgo } from '../support/events';
import { signedPost, startTestServer, TEST_SECRET, useTestApp } from '../support/http';

/** What the app logs at warn and above, one JSON line each. */
const logged: string[] = [];
const t = useTestApp({
  storeUrl: 'https://shop.example/',
  logger: createLogger('warn', { write: (line: string) => void logged.push(line) }),
});

async function linkFor(db: Db, cartKey: string, expiresInMs = 3_600_000): Promise<string> {
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where('phone', '=', '+919812345678')
    .executeTakeFirstOrThrow();
  const code = newLinkCode();
  const now = new Date();
  await db
    .insertInto('links')
    .values({
      code,
      store_id: 1,
      message_id: 1,
      subject_kind: 'cart',
      subject_id: cartKey,
      contact_id: contact.id,
      created_at: now,
      expires_at: new Date(now.getTime() + expiresInMs),
    })
    .execute();
  return code;
}

const restore = (token: string) => {
  const path = `/v1/restore/${token}`;
  return fetch(t.base + path, { headers: signatureHeaders(TEST_SECRET, { method: 'GET', path, body: '' }) });
};

const send = async (...events: unknown[]) => {
  const reply = await signedPost(t.base, '/v1/events', batch(...events));
  expect(reply.status).toBe(200);
};

/** A fresh restore token for a cart, as the shopper's tap on the message's button mints it. */
async function tokenFor(cartKey: string): Promise<string> {
  const code = await linkFor(t.db, cartKey);
  const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
  return new URL(res.headers.get('location') ?? '').searchParams.get('cartback_restore') ?? '';
}

const HOME = {
  first_name: 'Anna',
  last_name: 'Sharma',
  address_1: '12 MG Road',
  city: 'Bengaluru',
  state: 'KA',
  postcode: '560001',
  country: 'IN',
  phone: '+919812345678',
};

beforeAll(async () => {
  await send(
    event('cart.updated', { cart_key: 'restore-cart' }),
    event('checkout.contact_captured', {
      cart_key: 'restore-cart',
      first_name: 'Anna',
      last_name: undefined,
      billing: undefined,
      shipping: undefined,
    }),
  );
});

describe('GET /r/:code', () => {
  it('records the click and redirects to the store with a restore token that is stored only hashed', async () => {
    const code = await linkFor(t.db, 'restore-cart');
    const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://shop.example/');
    const token = location.searchParams.get('cartback_restore') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const clicks = await t.db.selectFrom('clicks').selectAll().where('code', '=', code).execute();
    expect(clicks).toEqual([expect.objectContaining({ opens: 1 })]);
    const stored = await t.db.selectFrom('restore_tokens').select('token_hash').where('code', '=', code).execute();
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);

    // Opened again: the same token, one click, two opens.
    const again = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe(res.headers.get('location'));
    expect(await t.db.selectFrom('clicks').select('opens').where('code', '=', code).execute()).toEqual([{ opens: 2 }]);
  });

  it('answers an unknown and an expired code alike, byte for byte, changing nothing', async () => {
    const expired = await linkFor(t.db, 'restore-cart', -1000);
    const answer = async (code: string) => {
      const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
      const headers = Object.fromEntries(
        ['content-type', 'content-length', 'cache-control', 'location'].map((name) => [name, res.headers.get(name)]),
      );
      return { status: res.status, headers, body: await res.text() };
    };
    const unknown = await answer(newLinkCode());
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(unknown.body).toContain('This link is not valid');
    expect(unknown.body).toContain('It may have expired');
    expect(unknown.body).toContain('href="https://shop.example/"');
    expect(await answer(expired)).toEqual(unknown);
    expect(await answer('NoSuch')).toEqual(unknown);
    expect(await t.db.selectFrom('clicks').selectAll().where('code', '=', expired).execute()).toEqual([]);
    expect(await t.db.selectFrom('restore_tokens').selectAll().where('code', '=', expired).execute()).toEqual([]);
  });

  it.each(['%ZZ', '%F0%9F', 'abc%'])(
    'answers /r/%s, which cannot be percent-decoded, with the same friendly page, logging no error',
    async (code) => {
      logged.length = 0;
      const res = await fetch(`${t.base}/r/${code}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = await res.text();
      expect(page).toContain('This link is not valid');
      expect(page).toContain('href="https://shop.example/"');
      expect(logged).toEqual([]);
    },
  );

  it.each(['', '/', 'NoSuchCode123/', 'NoSuchCode123/more'])(
    'answers /r/%s, a link cut short or run on, with the friendly page, not JSON (found by the fuzz)',
    async (rest) => {
      const res = await fetch(`${t.base}/r/${rest}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('This link is not valid');
    },
  );

  it('answers with a page asking to try again, not JSON, when the database fails', async () => {
    // Nothing listens on port 1: every query fails at once.
    const db = createDb('mysql://root@127.0.0.1:1/cartback_unreachable');
    const lines: string[] = [];
    const server = await startTestServer(db, {
      storeUrl: 'https://shop.example/',
      logger: createLogger('warn', { write: (line: string) => void lines.push(line) }),
    });
    try {
      const res = await fetch(`${server.base}/r/${newLinkCode()}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Please try the link again');
      expect(lines.map((line) => JSON.parse(line) as { level: number; path: string })).toEqual([
        expect.objectContaining({ level: 50, path: '/r/:code' }),
      ]);
    } finally {
      await server.close();
      await db.destroy();
    }
  });
});

describe('GET /v1/restore/:token', () => {
  it('gives the plugin the cart lines and the contact, signed', async () => {
    const reply = await restore(await tokenFor('restore-cart'));
    expect(reply.status).toBe(200);
    const body = await reply.json();
    expect(body).toEqual({
      cart: {
        cart_key: 'restore-cart',
        currency: 'INR',
        total: 129900,
        lines: [expect.objectContaining({ product_id: 42, quantity: 1, unit_price: 129900 })],
      },
      coupon: null,
      contact: { phone: '+919812345678', email: 'anna@example.com', first_name: 'Anna', last_name: null },
      billing: null,
      shipping: null,
      consent: { marketing: false, utility: false },
      // The link's message_id names no message here: nothing to tag the order with.
      attribution: null,
    });
  });

  it('gives back the billing and shipping addresses as last typed, whatever order the captures arrived in', async () => {
    const office = { ...HOME, company: 'Kurta Co', address_1: '1 Residency Road', postcode: '560025' };
    const capture = (minutes: number, data: object) =>
      event('checkout.contact_captured', { cart_key: 'typed-cart', ...data }, minutesAgo(minutes));
    await send(event('cart.updated', { cart_key: 'typed-cart' }));
    // Newest first: the contact-only capture (an older plugin's) and the billing change arrive
    // before the first capture, which alone carried the shipping address.
    await send(capture(1, { first_name: 'Anna', last_name: 'Sharma', billing: undefined, shipping: undefined }));
    await send(capture(2, { billing: office, shipping: undefined }));
    await send(capture(3, { last_name: 'Old', billing: HOME, shipping: HOME }));

    const reply = await restore(await tokenFor('typed-cart'));
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({
      contact: { phone: '+919812345678', email: 'anna@example.com', first_name: 'Anna', last_name: 'Sharma' },
      billing: office,
      shipping: HOME,
    });
  });

  it("says whether the contact's consent is current, per scope, as the ledger has it now", async () => {
    const consent = (type: 'consent.granted' | 'consent.withdrawn', scope: string, minutes: number) =>
      event(type, { scope: scope as 'marketing' }, minutesAgo(minutes));
    const answer = async () =>
      ((await (await restore(await tokenFor('restore-cart'))).json()) as { consent: object }).consent;

    await send(consent('consent.granted', 'marketing', 10), consent('consent.granted', 'utility', 10));
    expect(await answer()).toEqual({ marketing: true, utility: true });

    await send(consent('consent.withdrawn', 'marketing', 5));
    expect(await answer()).toEqual({ marketing: false, utility: true });

    await send(consent('consent.granted', 'marketing', 8)); // older than the withdrawal: it stays withdrawn
    expect(await answer()).toEqual({ marketing: false, utility: true });
  });

  it('refuses a token that cannot be percent-decoded with 400 invalid_path, logging no error', async () => {
    logged.length = 0;
    const res = await restore('abc%ZZ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_path', message: expect.any(String) } });
    expect(logged).toEqual([]);
  });

  it('refuses an unknown token with 404 and an unsigned request with 401', async () => {
    const unknown = await restore('A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ApiErrorBody).error.code).toBe('restore_token_invalid');
    const unsigned = await fetch(`${t.base}/v1/restore/${'A'.repeat(43)}`);
    expect(unsigned.status).toBe(401);
  });

  it('answers an expired token exactly as an unknown one', async () => {
    const token = await tokenFor('restore-cart');
    expect((await restore(token)).status).toBe(200);
    await t.db
      .updateTable('restore_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', createHash('sha256').update(token).digest('hex'))
      .execute();
    const answer = async (tok: string) => {
      const res = await restore(tok);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    const unknown = await answer('B'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(await answer(token)).toEqual(unknown);
  });
});
