import { createHash } from 'node:crypto';
import { signatureHeaders, type ApiErrorBody } from '@cartback/shared';
import type { Db } from '../../src/db/database';
import { newLinkCode } from '../../src/links/codes';
import { batch, event } from '../support/events';
import { signedPost, TEST_SECRET, useTestApp } from '../support/http';

const t = useTestApp({ storeUrl: 'https://shop.example/' });

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

beforeAll(async () => {
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('cart.updated', { cart_key: 'restore-cart' }),
      event('checkout.contact_captured', { cart_key: 'restore-cart', first_name: 'Anna' }),
    ),
  );
  expect(reply.status).toBe(200);
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
    expect(clicks).toHaveLength(1);
    const stored = await t.db.selectFrom('restore_tokens').select('token_hash').where('code', '=', code).execute();
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);

    const again = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
    expect(again.headers.get('location')).not.toBe(res.headers.get('location'));
  });

  it('shows a friendly page for an unknown or expired code', async () => {
    const unknown = await fetch(`${t.base}/r/NoSuchCode123`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('text/html');
    expect(await unknown.text()).toContain('This link is not valid');

    const expired = await linkFor(t.db, 'restore-cart', -1000);
    const res = await fetch(`${t.base}/r/${expired}`);
    expect(res.status).toBe(410);
    const page = await res.text();
    expect(page).toContain('This link has expired');
    expect(page).toContain('href="https://shop.example/"');
    expect(await t.db.selectFrom('clicks').selectAll().where('code', '=', expired).execute()).toEqual([]);
  });
});

describe('GET /v1/restore/:token', () => {
  it('gives the plugin the cart lines and the contact, signed', async () => {
    const code = await linkFor(t.db, 'restore-cart');
    const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
    const token = new URL(res.headers.get('location') ?? '').searchParams.get('cartback_restore') ?? '';
    const reply = await restore(token);
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
      contact: { phone: '+919812345678', email: 'anna@example.com', first_name: 'Anna' },
    });
  });

  it('refuses an unknown token with 404 and an unsigned request with 401', async () => {
    const unknown = await restore('A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ApiErrorBody).error.code).toBe('restore_token_invalid');
    const unsigned = await fetch(`${t.base}/v1/restore/${'A'.repeat(43)}`);
    expect(unsigned.status).toBe(401);
  });
});
