import { MAX_BODY_BYTES, type ApiErrorBody, type Line } from '@cartback/shared';
import { sql } from 'kysely';
import { consentOf } from '../../src/consent/ledger';
import { countRows, createTestDatabase } from '../support/db';
import { batch, event, invalidCases, minutesAgo } from '../support/events';
import { signedPost, startTestServer, useTestApp } from '../support/http';

const t = useTestApp();
const post = (body: string, sign?: Parameters<typeof signedPost>[3]) => signedPost(t.base, '/v1/events', body, sign);

/** Row counts of every fact table: "nothing stored" means these do not move. */
async function counts(): Promise<Record<string, number>> {
  const tables = ['inbound_events', 'contacts', 'consent_ledger', 'carts', 'orders', 'product_views', 'channel_nudges'];
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = await countRows(t.db, table);
  return out;
}

describe('POST /v1/events: refusing what is not right', () => {
  it('refuses a wrong signature with 401 and stores nothing', async () => {
    const before = await counts();
    const reply = await post(batch(event('consent.granted')), { secret: 'another-secret-of-the-same-length-000000' });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('invalid_signature');
    expect(await counts()).toEqual(before);
  });

  it('refuses a signature over another body', async () => {
    const reply = await post(batch(event('consent.granted')), { signedBody: batch(event('cart.emptied')) });
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
  });

  it('refuses a request without signature headers', async () => {
    const res = await fetch(`${t.base}/v1/events`, { method: 'POST', body: batch(event('cart.emptied')) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('missing_signature');
  });

  it('refuses a timestamp more than 300 s old with 401', async () => {
    const before = await counts();
    const reply = await post(batch(event('cart.emptied')), { nowSeconds: Math.floor(Date.now() / 1000) - 301 });
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'stale_timestamp' } } });
    expect(await counts()).toEqual(before);
  });

  it('refuses 1 MiB + 1 byte with 413, and takes exactly 1 MiB', async () => {
    const padded = (size: number) => {
      const base = batch(event('cart.emptied'));
      return base.slice(0, -1) + ',"pad":"' + 'x'.repeat(size - base.length - 9) + '"}';
    };
    const exact = padded(MAX_BODY_BYTES);
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    expect((await post(exact)).status).toBe(200);
    const over = padded(MAX_BODY_BYTES + 1);
    expect(Buffer.byteLength(over)).toBe(MAX_BODY_BYTES + 1);
    const reply = await post(over);
    expect(reply).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('refuses a compressed body it cannot read with 415', async () => {
    const res = await fetch(`${t.base}/v1/events`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'br', 'Content-Type': 'application/json' },
      body: batch(event('cart.emptied')),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('encoding_unsupported');
  });

  it('refuses malformed JSON with 400', async () => {
    const reply = await post('{"events": [');
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  });

  it.each(invalidCases().map((c) => [c.name, c]))(
    'refuses %s with 400 naming the field, storing nothing',
    async (_n, c) => {
      const before = await counts();
      // A valid event first: the whole batch must be refused, not just the bad one.
      const reply = await post(JSON.stringify({ events: [event('product.viewed'), c.event] }));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid_event', path: c.path.replace('events[0]', 'events[1]') });
      expect(reply.body.error.message).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses more than 500 events in one batch', async () => {
    const events = Array.from({ length: 501 }, () => event('cart.emptied'));
    const reply = await post(batch(...events));
    expect(reply).toMatchObject({ status: 400, body: { error: { path: 'events' } } });
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await fetch(`${t.base}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });
});

describe('POST /v1/events: keeping events once', () => {
  it('applies a batch, then acknowledges the same batch again as duplicates without changing a row', async () => {
    const body = batch(
      event('checkout.contact_captured', { phone: '+14155552671', email: 'sam@example.com', cart_key: 'dup-cart' }),
      event('cart.updated', { cart_key: 'dup-cart' }),
      event('product.viewed'),
      event('order.created', { order_id: 7001, phone: '+14155552671' }),
    );
    expect(await post(body)).toEqual({ status: 200, body: { accepted: 4, duplicates: 0 } });
    const snapshot = async () => ({
      counts: await counts(),
      cart: await t.db.selectFrom('carts').selectAll().where('cart_key', '=', 'dup-cart').executeTakeFirst(),
      contact: await t.db.selectFrom('contacts').selectAll().where('phone', '=', '+14155552671').executeTakeFirst(),
    });
    const before = await snapshot();
    expect(await post(body)).toEqual({ status: 200, body: { accepted: 0, duplicates: 4 } });
    expect(await snapshot()).toEqual(before);
  });

  it('counts a repeated id within one batch as a duplicate', async () => {
    const e = event('product.viewed');
    expect(await post(batch(e, e, { ...e, id: e.id.toUpperCase() }))).toEqual({
      status: 200,
      body: { accepted: 1, duplicates: 2 },
    });
  });

  it('keeps the newer cart when two cart.updated arrive in reverse order', async () => {
    const line = (name: string, quantity: number) => ({ ...event('cart.updated').data.lines[0]!, name, quantity });
    const newer = event(
      'cart.updated',
      { cart_key: 'rev-cart', lines: [line('Silk dupatta', 2), line('Kurta', 1)] },
      minutesAgo(55),
    );
    const older = event('cart.updated', { cart_key: 'rev-cart', lines: [line('Kurta', 1)] }, minutesAgo(60));
    expect((await post(batch(newer))).status).toBe(200);
    expect((await post(batch(older))).body).toEqual({ accepted: 1, duplicates: 0 });
    const cart = await t.db
      .selectFrom('carts')
      .selectAll()
      .where('cart_key', '=', 'rev-cart')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(cart.lines ?? '[]').map((l: Line) => [l.name, l.quantity])).toEqual([
      ['Silk dupatta', 2],
      ['Kurta', 1],
    ]);
    expect(cart).toMatchObject({ status: 'active', item_count: 3, content_event_id: newer.id });
  });

  it('stores money in minor units and phones in E.164', async () => {
    const e = event('order.paid', {
      order_id: 7002,
      phone: '+919876543210',
      totals: { subtotal: 129900, tax: 23382, shipping: 5000, discount: 10000, total: 148282 },
    });
    await post(batch(e));
    const order = await t.db.selectFrom('orders').selectAll().where('order_id', '=', 7002).executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      total: 148282,
      tax: 23382,
      currency: 'INR',
      status: 'processing',
      phone: '+919876543210',
    });
    expect(order.paid_at).toEqual(new Date(e.occurred_at));
    expect(JSON.parse(order.lines ?? '[]')).toEqual([
      expect.objectContaining({ unit_price: 129900, line_total: 129900, quantity: 1 }),
    ]);
  });

  it('links a cart to the shopper whose phone was captured at checkout', async () => {
    await post(
      batch(
        event('cart.updated', { cart_key: 'link-cart' }),
        event('checkout.contact_captured', {
          cart_key: 'link-cart',
          phone: '+34612345678',
          first_name: 'Lucía',
          email: 'Lucia@Example.com',
          country: 'ES',
        }),
      ),
    );
    const cart = await t.db
      .selectFrom('carts')
      .selectAll()
      .where('cart_key', '=', 'link-cart')
      .executeTakeFirstOrThrow();
    const contact = await t.db
      .selectFrom('contacts')
      .selectAll()
      .where('phone', '=', '+34612345678')
      .executeTakeFirstOrThrow();
    expect(cart.contact_id).toBe(contact.id);
    expect(contact).toMatchObject({ first_name: 'Lucía', email: 'lucia@example.com', country: 'ES' });
  });
});

describe('POST /v1/events: a shopper logs in', () => {
  it("gives the anonymous session's cart and product views to the contact, and the contact its customer id", async () => {
    const session_id = 'session-login-1';
    const phone = '+14155550142';
    await post(
      batch(
        event('consent.granted', { phone, email: undefined }),
        event('cart.updated', { cart_key: 'login-cart', session_id, customer_id: undefined }),
        event('product.viewed', { session_id, customer_id: undefined }),
      ),
    );
    await post(batch(event('customer.identified', { session_id, customer_id: 4242, phone, email: undefined })));
    const contact = await t.db
      .selectFrom('contacts')
      .select(['id', 'customer_id'])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(contact.customer_id).toBe(4242);
    const cart = await t.db
      .selectFrom('carts')
      .select('contact_id')
      .where('cart_key', '=', 'login-cart')
      .executeTakeFirstOrThrow();
    expect(cart.contact_id).toBe(contact.id);
    const views = await t.db
      .selectFrom('product_views')
      .select('contact_id')
      .where('session_id', '=', session_id)
      .execute();
    expect(views).toEqual([{ contact_id: contact.id }]);
  });
});

describe('POST /v1/events: all or nothing', () => {
  it('stores nothing of a batch whose last write fails, and takes the same batch once the fault is gone', async () => {
    // A real database fault in the middle of a batch: a trigger that refuses one product view.
    await sql`CREATE TRIGGER refuse_view BEFORE INSERT ON product_views FOR EACH ROW
      BEGIN IF NEW.product_id = 666 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END`.execute(
      t.db,
    );
    const body = batch(
      event('consent.granted', { phone: '+14155550199' }),
      event('cart.updated', { cart_key: 'atomic-cart' }),
      event('product.viewed', { product: { ...event('product.viewed').data.product, id: 666 } }),
    );
    const before = await counts();
    try {
      const reply = await post(body);
      expect(reply).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
      expect(await counts()).toEqual(before);
    } finally {
      await sql`DROP TRIGGER refuse_view`.execute(t.db);
    }
    expect(await post(body)).toEqual({ status: 200, body: { accepted: 3, duplicates: 0 } });
  });
});

describe('consent ledger', () => {
  it('grant, withdraw, grant again: granted now, three rows with source, text and version', async () => {
    const phone = '+5511912345678';
    const text = 'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
    await post(
      batch(event('consent.granted', { phone, source: 'checkout_block', text, text_version: 1 }, minutesAgo(60))),
    );
    await post(
      batch(event('consent.withdrawn', { phone, source: 'my_account', text, text_version: 1 }, minutesAgo(40))),
    );
    await post(
      batch(
        event(
          'consent.granted',
          { phone, source: 'checkout_classic', text: `${text} v2`, text_version: 2 },
          minutesAgo(20),
        ),
      ),
    );
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    const ledger = await t.db
      .selectFrom('consent_ledger')
      .select(['action', 'scope', 'source', 'text', 'text_version'])
      .where('contact_id', '=', contact.id)
      .orderBy('occurred_at')
      .execute();
    expect(ledger).toEqual([
      { action: 'granted', scope: 'marketing', source: 'checkout_block', text, text_version: 1 },
      { action: 'withdrawn', scope: 'marketing', source: 'my_account', text, text_version: 1 },
      { action: 'granted', scope: 'marketing', source: 'checkout_classic', text: `${text} v2`, text_version: 2 },
    ]);
    const state = await consentOf(t.db, 1, contact.id);
    expect(state.marketing.granted).toBe(true);
    expect(state.marketing.decidedBy).toMatchObject({ source: 'checkout_classic', textVersion: 2 });
    expect(state.utility.granted).toBe(false);
  });

  it('a withdrawal that arrives late still wins if it happened last', async () => {
    const phone = '+14155550123';
    await post(batch(event('consent.withdrawn', { phone }, minutesAgo(40))));
    await post(batch(event('consent.granted', { phone }, minutesAgo(60))));
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    expect((await consentOf(t.db, 1, contact.id)).marketing.granted).toBe(false);
  });
});

describe('health', () => {
  it('is alive and ready when the database is reachable and migrated', async () => {
    expect(await (await fetch(`${t.base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.base}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('exposes Prometheus metrics including events applied', async () => {
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(text).toMatch(/cartback_events_applied_total\{type="consent.granted"\} \d+/);
  });

  it('is not ready while migrations are pending', async () => {
    const fresh = await createTestDatabase(false);
    const other = await startTestServer(fresh.db);
    try {
      const res = await fetch(`${other.base}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('migrations_pending');
    } finally {
      await other.close();
      await fresh.drop();
    }
  });
});
