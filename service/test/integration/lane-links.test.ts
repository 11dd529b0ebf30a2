import { signatureHeaders } from '@cartback/shared';
import type { Db } from '../../src/db/database';
import { batch, event } from '../support/events';
import { signedPost, TEST_SECRET, useTestApp } from '../support/http';
import { insertLink, open } from '../support/links';

/** Links of the lanes beside abandoned_cart: an order's pay page, a browse or win-back offer. */

const t = useTestApp({ storeUrl: 'https://shop.example/', rateLimits: { linkPerMinute: 0, restorePerMinute: 0 } });
const PHONE = '+919812345678';
let contactId = 0;

const send = async (...events: unknown[]) => {
  const reply = await signedPost(t.base, '/v1/events', batch(...events));
  expect(reply.status).toBe(200);
};

const restore = async (token: string) => {
  const path = `/v1/restore/${token}`;
  const res = await fetch(t.base + path, { headers: signatureHeaders(TEST_SECRET, { method: 'GET', path, body: '' }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const clicksOf = (code: string) => t.db.selectFrom('clicks').select('opens').where('code', '=', code).execute();

const product = (id: number, name: string, price: number) => ({
  product_id: id,
  name,
  price,
  image_url: `https://shop.example/wp-content/uploads/${id}.jpg`,
  url: `https://shop.example/product/${id}/`,
  category_id: 15,
});

/** An enrollment of `lane` offering `products`, its first message, and that message's link. */
async function offerLink(db: Db, lane: string, subjectKind: string, subjectId: string, products: object[]) {
  const now = new Date();
  const enrollment = await db
    .insertInto('enrollments')
    .values({
      store_id: 1,
      lane,
      contact_id: contactId,
      subject_kind: subjectKind,
      subject_id: subjectId,
      episode_at: now,
      cell: 'treatment',
      state: 'active',
      anchor_at: now,
      next_step: 1,
      next_due_at: null,
      offer: JSON.stringify({ currency: 'INR', products }),
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({
      store_id: 1,
      enrollment_id: Number(enrollment.insertId),
      step: 0,
      lane,
      category: 'marketing',
      contact_id: contactId,
      phone: PHONE,
      state: 'sent',
      due_at: now,
      template: lane === 'winback' ? 'winback_1' : 'browse_reminder_1',
      language: 'en',
      payload: '[]',
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  const code = await insertLink(db, {
    cartKey: subjectId,
    subjectKind,
    contactId,
    messageId: Number(message.insertId),
  });
  messages.set(code, Number(message.insertId));
  return code;
}

/** Each offer link's message id, by code. */
const messages = new Map<string, number>();
const messageOf = (code: string) => messages.get(code);

beforeAll(async () => {
  await send(
    event('order.payment_failed', { order_id: 2001 }),
    event('order.payment_failed', {
      order_id: 2002,
      pay_url: 'https://shop.example.evil.test/checkout/order-pay/2002/?pay_for_order=true&key=wc_order_x',
    }),
    event('order.payment_failed', { order_id: 2003, pay_url: undefined }),
  );
  const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
  contactId = contact.id;
});

describe('an order link (payment recovery)', () => {
  it("redirects to the order's own pay page, counts one click, and mints no restore token", async () => {
    const code = await insertLink(t.db, { cartKey: '2001', subjectKind: 'order', contactId });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(
        'https://shop.example/checkout/order-pay/1001/?pay_for_order=true&key=wc_order_Q2xIeNqCyvU5b',
      );
    }
    expect(await clicksOf(code)).toEqual([{ opens: 2 }]);
    const clicks = await t.db.selectFrom('clicks').select('clicked_at').where('code', '=', code).execute();
    expect(clicks).toHaveLength(1);
    expect(Date.now() - (clicks[0]?.clicked_at.getTime() ?? 0)).toBeLessThan(60_000);
    expect(await t.db.selectFrom('restore_tokens').select('code').where('code', '=', code).execute()).toEqual([]);
  });

  it('does not follow a pay link on another host, nor one that is gone: a page says where to pay', async () => {
    for (const orderId of ['2002', '2003', '9999']) {
      const code = await insertLink(t.db, { cartKey: orderId, subjectKind: 'order', contactId });
      const res = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      const page = await res.text();
      expect(page).toContain('order email');
      expect(page).toContain('My Account');
      expect(page).toContain('href="https://shop.example/"');
      expect(page).not.toContain('evil');
      expect(await clicksOf(code)).toEqual([{ opens: 1 }]);
    }
  });
});

describe('a browse or win-back link', () => {
  it("restores the viewed product, to be added to the shopper's cart, then the checkout", async () => {
    const code = await offerLink(t.db, 'browse_abandonment', 'product', `${contactId}:42`, [
      product(42, 'Handloom cotton kurta', 129900),
    ]);
    const opened = await open(t.base, code);
    expect(opened.status).toBe(302);
    const reply = await restore(opened.token ?? '');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      mode: 'add',
      open: 'checkout',
      cart: {
        cart_key: null,
        currency: 'INR',
        total: 129900,
        lines: [
          {
            product_id: 42,
            name: 'Handloom cotton kurta',
            quantity: 1,
            unit_price: 129900,
            line_total: 129900,
            image_url: 'https://shop.example/wp-content/uploads/42.jpg',
            url: 'https://shop.example/product/42/',
          },
        ],
      },
      coupon: null,
      contact: { phone: PHONE, email: 'anna@example.com' },
      // The message the link belongs to: the plugin tags the checkout (UTM) and the order (note) with it.
      attribution: { lane: 'browse_abandonment', step: 0, message_id: messageOf(code) },
    });
    expect(await clicksOf(code)).toEqual([{ opens: 1 }]);
  });

  it('restores the three win-back products, one of each, then the cart page', async () => {
    const code = await offerLink(t.db, 'winback', 'winback', String(contactId), [
      product(51, 'Silk scarf', 89900),
      product(52, 'Block-print cushion', 49900),
      product(53, 'Brass lamp', 159900),
    ]);
    const reply = await restore((await open(t.base, code)).token ?? '');
    expect(reply.status).toBe(200);
    const cart = reply.body.cart as { lines: Array<{ product_id: number; quantity: number }>; total: number };
    expect(reply.body).toMatchObject({ mode: 'add', open: 'cart' });
    expect(cart.lines.map((l) => [l.product_id, l.quantity])).toEqual([
      [51, 1],
      [52, 1],
      [53, 1],
    ]);
    expect(cart.total).toBe(89900 + 49900 + 159900);
  });
});
