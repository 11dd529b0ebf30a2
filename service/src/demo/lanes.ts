import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import { defaultLaneSettings, type LaneName } from '../engine/lanes';
import { linkCode, nthMessage, printPhone, say, scene, until } from './show';
import { WINBACK_LANE } from '../engine/winback';
import { holdoutSalt, laneSettings } from '../recovery/settings';
import { runWinbackPass } from '../recovery/winback/pass';
import type { System } from './system';

/**
 * The demo's other three lanes (`npm run demo`, after the abandoned cart in main.ts): a product
 * looked at and left, a failed payment, a lapsed buyer — each a shopper of its own, since a
 * shopper is never chased by two journeys at once.
 */

export interface DemoContext {
  system: System;
  db: Db;
  /** Events the plugin delivers at once. */
  send(events: object[]): Promise<void>;
  /** Events the plugin has captured and not delivered yet (its outbox; the sidecar pulls it). */
  outbox: object[];
}

export const event = (type: string, data: object, occurredAt = new Date()) => ({
  id: randomUUID(),
  type,
  occurred_at: occurredAt.toISOString(),
  data,
});

const CONSENT_TEXT =
  'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
const UTILITY_TEXT = 'Send me updates about my orders on WhatsApp. Reply STOP any time.';
const SHOP = 'https://shop.example';
const KURTAS = { id: 10, name: 'Kurtas' };

export const consent = (phone: string, scope: 'marketing' | 'utility', at?: Date) =>
  event(
    'consent.granted',
    {
      phone,
      scope,
      source: 'checkout_block',
      text: scope === 'marketing' ? CONSENT_TEXT : UTILITY_TEXT,
      text_version: 1,
    },
    at,
  );

export const product = (id: number, name: string, price: number) => ({
  product_id: id,
  name,
  quantity: 1,
  unit_price: price,
  line_total: price,
  image_url: `${SHOP}/wp-content/uploads/product-${id}.jpg`,
  url: `${SHOP}/product/${id}/`,
  categories: [KURTAS],
});

const totalsOf = (lines: ReadonlyArray<{ line_total: number }>) => {
  const total = lines.reduce((sum, l) => sum + l.line_total, 0);
  return { subtotal: total, tax: 0, shipping: 0, discount: 0, total };
};

/** Turns a lane on with its delays shortened to seconds for the demo, no holdout, no quiet hours. */
export async function enableLane(
  system: System,
  lane: LaneName,
  delays: { inactivity: string; steps: string[] },
): Promise<void> {
  const defaults = defaultLaneSettings(lane);
  const settings = {
    ...defaults,
    enabled: true,
    inactivity_delay: delays.inactivity,
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' },
    steps: defaults.steps.map((s, i) => ({ ...s, delay: delays.steps[i] ?? s.delay })),
  };
  const answer = await system.call('PUT', `/v1/admin/lanes/${lane}`, settings);
  if (answer.status !== 200) throw new Error(`PUT lanes/${lane}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Meera's history, told before the other scenes so the daily win-back pass finds her. */
export async function lapsedBuyerHistory(ctx: DemoContext, phone: string): Promise<void> {
  const ninetyDaysAgo = new Date(Date.now() - 90 * 86_400_000);
  const lines = [product(41, 'Indigo block-printed kurta', 149900)];
  const order = {
    order_id: 901,
    cart_key: 'demo-meera-old-cart',
    phone,
    status: 'completed',
    currency: 'INR',
    totals: totalsOf(lines),
    lines,
    coupons: [],
  };
  await ctx.send([
    consent(phone, 'marketing', ninetyDaysAgo),
    event(
      'checkout.contact_captured',
      { cart_key: order.cart_key, phone, first_name: 'Meera', country: 'IN' },
      ninetyDaysAgo,
    ),
    event('order.created', { ...order, status: 'pending' }, ninetyDaysAgo),
    event('order.paid', { ...order, status: 'processing' }, new Date(ninetyDaysAgo.getTime() + 60_000)),
    event('order.status_changed', order, new Date(ninetyDaysAgo.getTime() + 86_400_000)),
  ]);
}

export async function browseScene(ctx: DemoContext, n: number, phone: string): Promise<void> {
  const { system } = ctx;
  scene(n, 'Ravi, a customer who opted in, is logged in and lingers on a product page, then leaves.');
  const session = `demo-ravi-${randomUUID().slice(0, 8)}`;
  await ctx.send([
    consent(phone, 'marketing'),
    event('customer.identified', { session_id: session, customer_id: 7001, phone, email: 'ravi@example.com' }),
    event('product.viewed', {
      session_id: session,
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
    }),
  ]);
  say('   He added nothing to a cart and bought nothing. Thirty minutes later (3 s here) his phone shows:');
  const message = await nthMessage(system, phone, 1);
  printPhone(message);
  const code = linkCode(message);
  const click = await fetch(`${system.sidecarUrl}/r/${code}`, { redirect: 'manual' });
  const token = new URL(click.headers.get('location') ?? 'http://x').searchParams.get('cartback_restore') ?? '';
  const restore = await system.call('GET', `/v1/restore/${token}`);
  const body = restore.body as { cart?: { lines?: Array<{ name: string }> }; mode?: string; open?: string };
  say(
    `   He taps it: GET /r/${code} → ${click.status}; the plugin's GET /v1/restore/<token> → ${restore.status}: ` +
      `${(body.cart?.lines ?? []).map((l) => l.name).join(', ')}${body.mode ? ` (${body.mode} to his cart` : ''}` +
      `${body.open ? `, then open the ${body.open})` : body.mode ? ')' : ''}`,
  );
}

export async function paymentScene(ctx: DemoContext, n: number, phone: string): Promise<void> {
  const { system, db } = ctx;
  scene(n, 'Priya orders, asks for order updates on WhatsApp, and her card payment fails.');
  const lines = [product(44, 'Ikat cotton dupatta', 89900)];
  const order = {
    order_id: 1002,
    cart_key: `demo-priya-${randomUUID().slice(0, 8)}`,
    phone,
    currency: 'INR',
    totals: totalsOf(lines),
    lines,
    coupons: [],
    payment_method: 'razorpay',
    // On the store's own host: the sidecar follows no pay link elsewhere.
    pay_url: `${system.store?.url ?? SHOP}/checkout/order-pay/1002/?pay_for_order=true&key=wc_order_demo1002`,
  };
  await ctx.send([
    consent(phone, 'utility'),
    event('checkout.contact_captured', { cart_key: order.cart_key, phone, first_name: 'Priya', country: 'IN' }),
    event('order.created', { ...order, status: 'pending' }),
    event('order.payment_failed', { ...order, status: 'failed' }),
  ]);
  system.store?.orders.push({
    order_id: 1002,
    status: 'failed',
    created_at: new Date(),
    cart_key: order.cart_key,
    phone,
  });
  say('   A useful reminder, not a promotion (a utility template), with the order’s own pay link:');
  const message = await nthMessage(system, phone, 1);
  printPhone(message);
  say(`   category: ${message.template?.category ?? '?'}`);
  const code = linkCode(message);
  const click = await fetch(`${system.sidecarUrl}/r/${code}`, { redirect: 'manual' });
  say(`   She taps it: GET /r/${code} → ${click.status} ${click.headers.get('location') ?? ''}`);
  say('   She pays. The order reaches the sidecar through the outbox…');
  ctx.outbox.push(event('order.paid', { ...order, status: 'processing' }));
  const stored = system.store?.orders.find((o) => o.order_id === 1002);
  if (stored) stored.status = 'processing';
  const journey = await until(
    'the payment journey to stop',
    async () => {
      const e = await db
        .selectFrom('enrollments')
        .select(['state', 'stop_reason'])
        .where('lane', '=', 'payment_recovery')
        .where('subject_id', '=', '1002')
        .executeTakeFirst();
      return e?.state === 'stopped' && e;
    },
    40_000,
  );
  say(
    `   …and the offer of help a day later (20 s here) never goes: the journey ${journey.state}, ${journey.stop_reason}.`,
  );
}

export async function winbackScene(ctx: DemoContext, n: number, phone: string): Promise<void> {
  scene(n, 'Meera last bought a kurta 90 days ago and nothing since. The daily win-back pass finds her…');
  // The sidecar runs the pass once a day, at its first check after WINBACK_HOUR (10:00) in the
  // store's zone: when the demo runs after that hour, its pass has found her already. Otherwise
  // the demo runs the same pass now (it is idempotent: one journey a day at most).
  const storeId = (await ctx.db.selectFrom('stores').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const settings = await laneSettings(ctx.db, storeId, WINBACK_LANE);
  const pass = await runWinbackPass(ctx.db, storeId, settings, await holdoutSalt(ctx.db, storeId), new Date());
  say(
    pass.started > 0
      ? '   (the pass runs daily at 10:00 store time; the demo ran it now)'
      : '   (the pass runs daily at 10:00 store time: the sidecar’s own pass already started her journey today)',
  );
  const message = await nthMessage(ctx.system, phone, 1);
  printPhone(message);
  say('   Products from the category she bought most (Kurtas), none she already has; the link opens a cart with them.');
}
