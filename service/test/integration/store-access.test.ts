import { signatureHeaders } from '@cartback/shared';
import { sql } from 'kysely';
import { storeAccess } from '../../src/store-access/access';
import { encryptionKey } from '../../src/store-access/crypto';
import type { WooCredentials } from '../../src/woo/client';
import { signedRequest, TEST_SECRET, useTestApp } from '../support/http';

let environment: WooCredentials | undefined;
const t = useTestApp({ woocommerce: { environment: () => environment } });
const PATH = '/v1/admin/store-access';
const KEY = `ck_${'4f'.repeat(17)}c0ffee`;
const SECRET = `cs_${'9a'.repeat(20)}`;
const grant = { url: 'https://shop.example/', consumer_key: KEY, consumer_secret: SECRET, key_id: 12 };

const put = (body: unknown) => signedRequest(t.base, 'PUT', PATH, JSON.stringify(body));
const get = () => signedRequest(t.base, 'GET', PATH);
const del = () => signedRequest(t.base, 'DELETE', PATH);
const config = () => ({ environment, encryptionKey: encryptionKey(TEST_SECRET) });

/** Every column of the stored row as text, the way someone reading the database sees it. */
async function storedRowText(): Promise<string> {
  const { rows } = await sql`SELECT * FROM store_access`.execute(t.db);
  return JSON.stringify(rows);
}

beforeEach(async () => {
  environment = undefined;
  await t.db.deleteFrom('store_access').execute();
});

describe('PUT /v1/admin/store-access', () => {
  it('keeps the key encrypted and answers with its ending only', async () => {
    const reply = await put(grant);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      granted: true,
      source: 'plugin',
      url: 'https://shop.example',
      key_ending: 'fc0ffee',
      granted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    expect(JSON.stringify(reply.body)).not.toContain(KEY);

    const row = await storedRowText();
    expect(row).not.toContain(SECRET);
    expect(row).not.toContain(SECRET.slice(3));
    expect(row).not.toContain(KEY);
    expect(row).toContain('fc0ffee');

    const access = await storeAccess(t.db, 1, config());
    expect(access).toMatchObject({ source: 'plugin', url: 'https://shop.example', keyEnding: 'fc0ffee', keyId: 12 });
    expect(access?.credentials).toEqual({ url: 'https://shop.example', consumerKey: KEY, consumerSecret: SECRET });
    expect(access?.client.url).toBe('https://shop.example');
    // Logging the access (or its client) shows neither the key nor the secret.
    expect(JSON.stringify(access)).not.toContain(SECRET);
    expect(JSON.stringify(access)).not.toContain(KEY);
  });

  it('replaces an earlier grant', async () => {
    await put(grant);
    const other = `ck_${'1'.repeat(40)}`;
    expect((await put({ ...grant, consumer_key: other, key_id: undefined })).body.key_ending).toBe('1111111');
    expect((await storeAccess(t.db, 1, config()))?.credentials.consumerKey).toBe(other);
    expect((await storeAccess(t.db, 1, config()))?.keyId).toBeNull();
  });

  it.each([
    ['url', { url: 'shop.example' }],
    ['url', { url: 'ftp://shop.example' }],
    ['url', { url: 'https://admin:pw@shop.example' }],
    ['url', { url: undefined }],
    ['consumer_key', { consumer_key: 'ck_short' }],
    ['consumer_key', { consumer_key: SECRET }],
    ['consumer_key', { consumer_key: KEY.toUpperCase() }],
    ['consumer_secret', { consumer_secret: `cs_${'g'.repeat(40)}` }],
    ['consumer_secret', { consumer_secret: undefined }],
    ['key_id', { key_id: 0 }],
    ['key_id', { key_id: '12' }],
    ['key_id', { key_id: 1.5 }],
  ])('refuses a bad %s with 400 naming it, keeping nothing', async (field, change) => {
    const reply = await put({ ...grant, ...change });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'invalid_store_access', path: field });
    expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    expect(await storedRowText()).toBe('[]');
  });

  it('refuses a body that is not JSON', async () => {
    const reply = await signedRequest(t.base, 'PUT', PATH, 'consumer_key=x');
    expect(reply.status).toBe(400);
  });

  it('needs the signature (401, nothing kept)', async () => {
    const body = JSON.stringify(grant);
    const unsigned = await fetch(t.base + PATH, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrongKey = await fetch(t.base + PATH, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        ...signatureHeaders('another-secret-0123456789abcdef012345', { method: 'PUT', path: PATH, body }),
      },
      body,
    });
    expect(wrongKey.status).toBe(401);
    for (const method of ['GET', 'DELETE']) expect((await fetch(t.base + PATH, { method })).status).toBe(401);
    expect(await storedRowText()).toBe('[]');
  });
});

describe('GET and DELETE /v1/admin/store-access', () => {
  it('says nothing is granted at first, then what is, never the secret, then forgets it', async () => {
    expect(await get()).toMatchObject({
      status: 200,
      body: { granted: false, source: null, url: null, key_ending: null, granted_at: null },
    });
    const granted = (await put(grant)).body;
    const shown = await get();
    expect(shown.body).toEqual(granted);
    expect(JSON.stringify(shown.body)).not.toContain(SECRET.slice(3));

    expect(await del()).toMatchObject({ status: 200, body: { granted: false } });
    expect(await storedRowText()).toBe('[]');
    expect((await get()).body.granted).toBe(false);
    expect(await storeAccess(t.db, 1, config())).toBeNull();
    expect((await del()).status).toBe(200);
  });

  it('prefers the WOOCOMMERCE_* variables, and will not revoke them', async () => {
    await put(grant);
    environment = {
      url: 'https://env.example',
      consumerKey: `ck_${'e'.repeat(40)}`,
      consumerSecret: `cs_${'d'.repeat(40)}`,
    };

    expect((await get()).body).toEqual({
      granted: true,
      source: 'environment',
      url: 'https://env.example',
      key_ending: 'eeeeeee',
      granted_at: null,
    });
    expect(await storeAccess(t.db, 1, config())).toMatchObject({ source: 'environment', url: 'https://env.example' });

    const refused = await del();
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('environment_credentials');
    expect(refused.body.error.message).toContain('WOOCOMMERCE_CONSUMER_KEY');

    environment = undefined;
    expect((await get()).body).toMatchObject({ granted: true, source: 'plugin', url: 'https://shop.example' });
  });

  it('reports a kept grant that no longer opens (the shared secret changed) as not granted', async () => {
    await put(grant);
    const rotated = { environment: undefined, encryptionKey: encryptionKey('a-new-shared-secret-0123456789abcdefgh') };
    expect(await storeAccess(t.db, 1, rotated)).toBeNull();
    await t.db
      .updateTable('store_access')
      .set({ secret_ciphertext: sql<string>`REPLACE(secret_ciphertext, 'v1.', 'v1.A')` })
      .execute();
    expect((await get()).body).toEqual({
      granted: false,
      source: null,
      url: null,
      key_ending: null,
      granted_at: null,
      reason: 'encryption_key_changed',
    });
  });
});
