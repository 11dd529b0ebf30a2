import { randomBytes, randomUUID } from 'node:crypto';
import { createDb, dropDatabase } from '../db/database';
import {
  browseScene,
  enableLane,
  lapsedBuyerHistory,
  paymentScene,
  product,
  winbackScene,
  type DemoContext,
} from './lanes';
import { offerCouponOnFirstReminder, stockTheShop, storeCoupon, tellAttribution } from './coupon';
import { linkCode, nthMessage, phoneMessages, printPhone, say, scene as step, until } from './show';
import { startSystem } from './system';

/**
 * `npm run demo`: the four lanes in about two minutes, on this machine. It starts the fake
 * WhatsApp Cloud API (a test double) and the sidecar, plays four shoppers — an abandoned cart, a
 * product looked at and left, a failed payment, a lapsed buyer (demo/lanes.ts) — and prints what
 * happens. Uses a throw-away database on the server in DATABASE_URL (default local MariaDB).
 */

const PHONE = '+919812345678';
const RAVI = '+919812345679';
const PRIYA = '+919812345680';
const MEERA = '+919812345681';
const CART = `demo-cart-${randomBytes(3).toString('hex')}`;
const CONSENT_TEXT =
  'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/cartback');
  url.pathname = `/cartback_demo_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  const started = Date.now();
  say('Cartback demo: four shoppers brought back over WhatsApp (through the fake Cloud API, a test double).');
  const system = await startSystem({ databaseUrl, fakeStatusDelayMs: 300, woo: true });
  const db = createDb(databaseUrl);
  try {
    say(`   sidecar ${system.sidecarUrl} · fake WhatsApp Cloud API ${system.fakeUrl}`);
    await offerCouponOnFirstReminder(system, ['PT3S', 'PT15S', 'PT30S']);
    await enableLane(system, 'browse_abandonment', { inactivity: 'PT3S', steps: ['PT3S'] });
    await enableLane(system, 'payment_recovery', { inactivity: 'PT2S', steps: ['PT2S', 'PT20S'] });
    await enableLane(system, 'winback', { inactivity: 'PT1S', steps: ['PT2S'] });
    say('   all four lanes on, their delays shortened from minutes and hours to seconds for the demo');
    say('   the first cart reminder offers ₹100 off, from a monthly discount budget of ₹5,000');

    const now = () => new Date().toISOString();
    const event = (type: string, data: object) => ({ id: randomUUID(), type, occurred_at: now(), data });
    const store = system.store;
    const woo = system.woo;
    if (!store || !woo) throw new Error('the demo plays the store: startSystem must start its fakes');
    stockTheShop(woo);
    // The store's outbox: what the plugin has captured and not delivered yet. The sidecar's calls
    // to the plugin's routes deliver it, as the real plugin does.
    const outbox: object[] = [];
    const deliver = async () => {
      const events = outbox.splice(0);
      if (events.length > 0) await system.call('POST', '/v1/events', { events });
      return events.length;
    };
    store.onDeliver = deliver;
    store.onOrders = async () => void (await deliver());
    await system.call('POST', '/v1/events', {
      events: [
        event('store.updated', {
          name: 'Helivex Handlooms',
          url: store.url,
          api_url: store.apiUrl,
          time_zone: 'Asia/Kolkata',
          currency: 'INR',
          locale: 'en_IN',
          versions: { wordpress: '6.9.1', woocommerce: '10.5.0', plugin: '0.1.0' },
        }),
      ],
    });
    say('   the plugin reports its store: Helivex Handlooms, Asia/Kolkata, INR, en_IN, and where its routes are');
    const ctx: DemoContext = {
      system,
      db,
      outbox,
      send: async (events) => {
        const answer = await system.call('POST', '/v1/events', { events });
        if (answer.status !== 200) throw new Error(`POST /v1/events: ${answer.status} ${JSON.stringify(answer.body)}`);
      },
    };
    await lapsedBuyerHistory(ctx, MEERA);
    const line = { ...product(42, 'Handloom cotton kurta', 129900), quantity: 2, line_total: 259800 };
    const totals = { subtotal: 259800, tax: 0, shipping: 0, discount: 0, total: 259800 };

    step(1, `Anna ticks the WhatsApp box at checkout and types her phone: "${CONSENT_TEXT}"`);
    await system.call('POST', '/v1/events', {
      events: [
        event('consent.granted', {
          phone: PHONE,
          scope: 'marketing',
          source: 'checkout_block',
          text: CONSENT_TEXT,
          text_version: 1,
        }),
        event('cart.updated', {
          cart_key: CART,
          session_id: CART,
          currency: 'INR',
          totals,
          lines: [line],
          locale: 'en_IN',
        }),
        event('checkout.contact_captured', {
          cart_key: CART,
          phone: PHONE,
          email: 'anna@example.com',
          first_name: 'Anna',
          country: 'IN',
        }),
      ],
    });
    say('   her cart: 2 × Handloom cotton kurta, ₹2,598.00. Then she closes the tab.');

    step(2, 'Silence. The sidecar waits for the cart to be idle, checks consent, caps and quiet hours…');
    const first = await nthMessage(system, PHONE, 1);
    const asked = store.calls.filter((c) => c.route === 'orders').length;
    say(
      `   …asks the store whether she has ordered since (signed POST /sidecar/orders, ${asked}×: no), and her phone shows:`,
    );
    printPhone(first);
    const issued = await db.selectFrom('coupons').selectAll().orderBy('id').executeTakeFirst();
    const made = issued ? storeCoupon(woo, issued.code) : undefined;
    if (issued && made) {
      say(
        `   the sidecar read the kurta's stock and price from the store (REST API) and made her code there: ` +
          `${made.code.toUpperCase()}, ${made.discount_type} ₹${made.amount}, usage limit ${made.usage_limit}, ` +
          `only for ${made.email_restrictions.join(', ')}, expires ${made.date_expires_gmt} UTC`,
      );
    }

    step(3, 'She taps "View cart". The link goes to the sidecar, which records the click:');
    const code = linkCode(first);
    const click = await fetch(`${system.sidecarUrl}/r/${code}`, { redirect: 'manual' });
    const location = click.headers.get('location') ?? '';
    say(`   GET /r/${code} → ${click.status} ${location.replace(/cartback_restore=.*/, 'cartback_restore=<token>')}`);
    const token = new URL(location).searchParams.get('cartback_restore') ?? '';
    const restore = await system.call('GET', `/v1/restore/${token}`);
    const restored = restore.body as {
      cart: { lines: Array<{ name: string; quantity: number }> };
      coupon: string | null;
    };
    say(
      `   the plugin asks GET /v1/restore/<token> → ${restore.status}: ${restored.cart.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}` +
        `${restored.coupon ? `, coupon ${restored.coupon}` : ''}`,
    );
    say(
      '   (the store rebuilds the cart, pre-fills her phone and email at checkout, then applies the coupon; nobody is logged in)',
    );

    step(4, 'She places the order. Nobody else visits the store, so no WP-Cron runs to deliver its outbox…');
    const orderedAt = Date.now();
    const coupons = restored.coupon ? [restored.coupon.toLowerCase()] : [];
    const paid = coupons.length > 0 ? { ...totals, discount: 10_000, total: totals.total - 10_000 } : totals;
    outbox.push(
      event('order.created', {
        order_id: 1001,
        cart_key: CART,
        phone: PHONE,
        email: 'anna@example.com',
        status: 'processing',
        currency: 'INR',
        totals: paid,
        lines: [line],
        coupons,
      }),
    );
    store.orders.push({ order_id: 1001, status: 'processing', created_at: new Date(), cart_key: CART, phone: PHONE });
    await until('the order in the sidecar', async () => {
      const order = await db.selectFrom('orders').select('order_id').where('order_id', '=', 1001).executeTakeFirst();
      return order !== undefined;
    });
    say(
      '   …but a reminder is due soon, so the sidecar asks the store to deliver it every tick (signed POST ' +
        `/sidecar/deliver): the order reached the sidecar ${((Date.now() - orderedAt) / 1000).toFixed(1)} s after she placed it.`,
    );
    const stopped = await until(
      'the second step',
      async () => {
        const e = await db.selectFrom('enrollments').selectAll().where('subject_id', '=', CART).executeTakeFirst();
        return e?.state !== 'active' && e;
      },
      30_000,
    );
    say(`   when the second reminder fell due, the journey was ${stopped.state}: ${stopped.stop_reason ?? ''}`);
    const history = await db
      .selectFrom('enrollment_history')
      .select(['kind', 'step', 'reason'])
      .where('enrollment_id', '=', stopped.id)
      .orderBy('id')
      .execute();
    for (const h of history)
      say(`     · ${h.kind}${h.step !== null ? ` (step ${h.step + 1})` : ''}${h.reason ? `: ${h.reason}` : ''}`);
    const read = await db.selectFrom('messages').select(['state']).where('enrollment_id', '=', stopped.id).execute();
    say(`   WhatsApp messages sent to her: ${read.length} (status: ${read.map((m) => m.state).join(', ')})`);
    await tellAttribution(system, db, 1001);

    await browseScene(ctx, 5, RAVI);
    await paymentScene(ctx, 6, PRIYA);
    await winbackScene(ctx, 7, MEERA);

    step(8, 'Later Anna replies STOP.');
    await system.sandbox('inbound', { from: PHONE, text: 'STOP' });
    const confirmation = await until('the confirmation', async () =>
      (await phoneMessages(system, PHONE)).find((m) => m.type === 'text'),
    );
    const ledger = await db
      .selectFrom('consent_ledger')
      .select(['action', 'scope', 'source'])
      .where('phone', '=', PHONE)
      .orderBy('id')
      .execute();
    say(`   consent ledger: ${ledger.map((l) => `${l.scope} ${l.action} (${l.source})`).join(' → ')}`);
    say('   and her phone shows:');
    printPhone(confirmation);
    say(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.destroy();
    await system.stop();
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
