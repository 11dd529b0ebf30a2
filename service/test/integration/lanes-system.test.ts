import { randomBytes } from 'node:crypto';
import { createDb, dropDatabase, type Db } from '../../src/db/database';
import { defaultLaneSettings, type LaneName } from '../../src/engine/lanes';
import { WINBACK_LANE } from '../../src/engine/winback';
import { startSystem, type System } from '../../src/demo/system';
import { holdoutSalt, laneSettings } from '../../src/recovery/settings';
import { runWinbackPass } from '../../src/recovery/winback/pass';
import { testServerUrl } from '../support/db';
import { event } from '../support/events';
import { until } from '../support/webhook-receiver';

/**
 * The three other lanes end to end (issue 10), the sidecar and the fake Cloud API as processes
 * over real HTTP on real MariaDB: what the plugin captures goes in as signed events, the planner
 * starts the journey, the step goes to WhatsApp with its lane's template and category, its link
 * does what the lane promises, and the journey stops when the shopper does what it asked.
 * The stop conditions one by one are in lanes-stepper.test.ts; the planners' rules in
 * browse-planner.test.ts, payment-planner.test.ts and winback.test.ts.
 */

interface SandboxMessage {
  to: string;
  type: string;
  body?: string;
  header?: string | null;
  template: { name: string; category: string } | null;
  buttons?: Array<{ type: 'URL' | 'QUICK_REPLY'; text: string; url?: string }>;
}

let system: System;
let db: Db;
let databaseUrl: string;
const SHOP = 'https://shop.example';
const KURTAS = { id: 10, name: 'Kurtas' };

const messagesTo = async (phone: string) =>
  ((await system.sandbox('messages')) as { messages: SandboxMessage[] }).messages.filter((m) => m.to === phone);
const firstMessageTo = async (phone: string) =>
  (
    await until(
      async () => {
        const list = await messagesTo(phone);
        return list.length > 0 && list;
      },
      `a WhatsApp message to the shopper`,
      20_000,
    )
  )[0] as SandboxMessage;
const send = async (...events: unknown[]) =>
  expect((await system.call('POST', '/v1/events', { events })).status).toBe(200);
const linkOf = (m: SandboxMessage) => m.buttons?.find((b) => b.type === 'URL')?.url?.split('/r/')[1] ?? '';

async function enable(lane: LaneName, inactivity: string, delays: string[]): Promise<void> {
  const defaults = defaultLaneSettings(lane);
  const settings = {
    ...defaults,
    enabled: true,
    inactivity_delay: inactivity,
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' },
    steps: defaults.steps.map((step, i) => ({ ...step, delay: delays[i] ?? step.delay })),
  };
  const put = await system.call('PUT', `/v1/admin/lanes/${lane}`, settings);
  expect(put.status).toBe(200);
}

const line = (id: number, name: string, price: number) => ({
  product_id: id,
  name,
  quantity: 1,
  unit_price: price,
  line_total: price,
  image_url: `${SHOP}/wp-content/uploads/product-${id}.jpg`,
  url: `${SHOP}/product/${id}/`,
  categories: [KURTAS],
});
const totals = (total: number) => ({ subtotal: total, tax: 0, shipping: 0, discount: 0, total });

beforeAll(async () => {
  const url = new URL(testServerUrl());
  url.pathname = `/cartback_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  databaseUrl = url.toString();
  system = await startSystem({ databaseUrl, fakeStatusDelayMs: 30 });
  db = createDb(databaseUrl);
  await enable('browse_abandonment', 'PT1S', ['PT2S']);
  await enable('payment_recovery', 'PT1S', ['PT1S', 'PT6S']);
  await enable('winback', 'PT1S', ['PT1S']);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await system?.stop();
  await dropDatabase(databaseUrl);
});

it('browse abandonment: a known customer who left a product gets it on WhatsApp, and its link adds it to the cart', async () => {
  const phone = '+919812350001';
  const now = new Date().toISOString();
  await send(
    event('consent.granted', { phone, scope: 'marketing' }, now),
    event('customer.identified', { session_id: 'browse-session', customer_id: 7001, phone }, now),
    event(
      'product.viewed',
      {
        session_id: 'browse-session',
        customer_id: 7001,
        product: {
          id: 43,
          name: 'Chanderi silk kurta',
          price: 219900,
          currency: 'INR',
          image_url: `${SHOP}/wp-content/uploads/product-43.jpg`,
          url: `${SHOP}/product/43/`,
          in_stock: true,
          categories: ['Kurtas'],
        },
      },
      now,
    ),
  );
  const message = await firstMessageTo(phone);
  expect(message.template).toMatchObject({ name: 'browse_reminder_1', category: 'MARKETING' });
  expect(message.body).toContain('Chanderi silk kurta');
  expect(message.body).toContain('₹2,199.00');

  const opened = await fetch(`${system.sidecarUrl}/r/${linkOf(message)}`, { redirect: 'manual' });
  expect(opened.status).toBe(302);
  const token = new URL(opened.headers.get('location') ?? '').searchParams.get('cartback_restore') ?? '';
  const restore = await system.call('GET', `/v1/restore/${token}`);
  expect(restore.body).toMatchObject({
    mode: 'add',
    open: 'checkout',
    cart: { lines: [{ product_id: 43, quantity: 1 }] },
  });
}, 40_000);

it('payment recovery: a failed payment gets a utility reminder with the order’s pay link, and paying stops the offer of help', async () => {
  const phone = '+919812350002';
  const now = new Date().toISOString();
  const order = {
    order_id: 1002,
    cart_key: 'payment-cart',
    phone,
    currency: 'INR',
    totals: totals(89900),
    lines: [line(44, 'Ikat cotton dupatta', 89900)],
    coupons: [],
    pay_url: `${system.store?.url ?? SHOP}/checkout/order-pay/1002/?pay_for_order=true&key=wc_order_x1002`,
  };
  system.store?.orders.push({
    order_id: 1002,
    status: 'failed',
    created_at: new Date(),
    cart_key: 'payment-cart',
    phone,
  });
  await send(
    event('consent.granted', { phone, scope: 'utility' }, now),
    event('checkout.contact_captured', { cart_key: 'payment-cart', phone, first_name: 'Priya' }, now),
    event('order.created', { ...order, status: 'pending' }, now),
    event('order.payment_failed', { ...order, status: 'failed' }, now),
  );
  const message = await firstMessageTo(phone);
  expect(message.template).toMatchObject({ name: 'payment_reminder_1', category: 'UTILITY' });
  expect(message.body).toContain('1002');
  expect(message.body).toContain('₹899.00');
  const opened = await fetch(`${system.sidecarUrl}/r/${linkOf(message)}`, { redirect: 'manual' });
  expect(opened.status).toBe(302);
  expect(opened.headers.get('location')).toBe(order.pay_url);

  // She pays before the offer of help (due 6 s after the failure) falls due: it never goes.
  const stored = system.store?.orders.find((o) => o.order_id === 1002);
  if (stored) stored.status = 'processing';
  await send(event('order.paid', { ...order, status: 'processing' }, new Date().toISOString()));
  const journey = await until(
    async () => {
      const e = await db
        .selectFrom('enrollments')
        .selectAll()
        .where('lane', '=', 'payment_recovery')
        .executeTakeFirst();
      return e?.state === 'stopped' && e;
    },
    'the payment journey to stop',
    20_000,
  );
  expect(journey.stop_reason).toBe('converted');
  expect(await messagesTo(phone)).toHaveLength(1);
}, 40_000);

it('win-back: the daily pass offers a lapsed buyer products of the category she bought, and the link opens a cart with them', async () => {
  const phone = '+919812350003';
  const longAgo = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const old = {
    order_id: 901,
    cart_key: 'winback-old-cart',
    phone,
    currency: 'INR',
    totals: totals(149900),
    lines: [line(41, 'Indigo block-printed kurta', 149900)],
    coupons: [],
  };
  await send(
    event('consent.granted', { phone, scope: 'marketing' }, longAgo),
    event('checkout.contact_captured', { cart_key: 'winback-old-cart', phone, first_name: 'Meera' }, longAgo),
    event('order.created', { ...old, status: 'completed' }, longAgo),
    // What the store shows now: another shopper's cart of kurtas (the pool the pass chooses from).
    event('cart.updated', {
      cart_key: 'someone-elses-cart',
      session_id: 'someone-elses-cart',
      currency: 'INR',
      totals: totals(129900),
      lines: [line(42, 'Handloom cotton kurta', 129900), line(41, 'Indigo block-printed kurta', 149900)],
    }),
  );
  const store = await db.selectFrom('stores').select('id').orderBy('id').executeTakeFirstOrThrow();
  const settings = await laneSettings(db, store.id, WINBACK_LANE);
  const pass = await runWinbackPass(db, store.id, settings, await holdoutSalt(db, store.id), new Date());
  expect(pass.started).toBe(1);

  const message = await firstMessageTo(phone);
  expect(message.template).toMatchObject({ name: 'winback_1', category: 'MARKETING' });
  expect(message.body).toContain('Meera');
  expect(message.body).toContain('Handloom cotton kurta');
  expect(message.body).not.toContain('Indigo'); // never one she already bought
  const opened = await fetch(`${system.sidecarUrl}/r/${linkOf(message)}`, { redirect: 'manual' });
  const token = new URL(opened.headers.get('location') ?? '').searchParams.get('cartback_restore') ?? '';
  const restore = await system.call('GET', `/v1/restore/${token}`);
  const body = restore.body as {
    mode: string;
    open: string;
    cart: { lines: Array<{ product_id: number; quantity: number }> };
  };
  expect(body).toMatchObject({ mode: 'add', open: 'cart' });
  // Up to 3 kurtas the store shows now (the other tests' products are kurtas too), the one in a
  // cart most recently first; never the one she bought.
  const products = body.cart.lines.map((l) => l.product_id);
  expect(products.length).toBeLessThanOrEqual(3);
  expect(products).toContain(42);
  expect(products).not.toContain(41);
  expect(body.cart.lines.every((l) => l.quantity === 1)).toBe(true);
}, 40_000);
