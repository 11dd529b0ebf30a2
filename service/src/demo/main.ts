import { randomBytes, randomUUID } from 'node:crypto';
import { createDb, dropDatabase } from '../db/database';
import { defaultLaneSettings } from '../engine/lanes';
import { startSystem, type System } from './system';

/**
 * `npm run demo`: the whole abandoned-cart journey in under a minute, on this machine. It starts
 * the fake WhatsApp Cloud API (a test double) and the sidecar, plays a shopper, and prints what
 * happens. Uses a throw-away database on the server in DATABASE_URL (default local MariaDB).
 */

const PHONE = '+919812345678';
const CART = `demo-cart-${randomBytes(3).toString('hex')}`;
const CONSENT_TEXT =
  'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

interface PhoneMessage {
  to: string;
  type: string;
  header?: string | null;
  body?: string;
  buttons?: Array<{ type: string; text: string; url?: string }>;
  template?: { name: string } | null;
}

function printPhone(m: PhoneMessage): void {
  const width = 58;
  const line = (text: string) => say(`   │ ${text.padEnd(width)} │`);
  say(`   ┌${'─'.repeat(width + 2)}┐`);
  line(`WhatsApp · to ${m.to}${m.template ? ` · ${m.template.name}` : ''}`);
  line('');
  if (m.header) line(`[image] ${m.header}`.slice(0, width));
  const words = (m.body ?? '').split(' ');
  let current = '';
  for (const word of words) {
    if ((current + ' ' + word).trim().length > width) {
      line(current.trim());
      current = '';
    }
    current += ` ${word}`;
  }
  if (current.trim()) line(current.trim());
  for (const button of m.buttons ?? [])
    line(`[ ${button.text} ]${button.url ? `  → ${button.url}` : ''}`.slice(0, width));
  say(`   └${'─'.repeat(width + 2)}┘`);
}

async function phoneMessages(system: System): Promise<PhoneMessage[]> {
  return ((await system.sandbox('messages')) as { messages: PhoneMessage[] }).messages.filter((m) => m.to === PHONE);
}

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/cartback');
  url.pathname = `/cartback_demo_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  const started = Date.now();
  say('Cartback demo: one abandoned cart, recovered over WhatsApp (through the fake Cloud API, a test double).');
  const system = await startSystem({ databaseUrl, fakeStatusDelayMs: 300 });
  const db = createDb(databaseUrl);
  try {
    say(`   sidecar ${system.sidecarUrl} · fake WhatsApp Cloud API ${system.fakeUrl}`);
    const defaults = defaultLaneSettings('abandoned_cart');
    const settings = {
      ...defaults,
      inactivity_delay: 'PT3S',
      holdout_percent: 0,
      quiet_hours: { start: '00:00', end: '00:00' },
      steps: defaults.steps.map((s, i) => ({ ...s, delay: ['PT3S', 'PT15S', 'PT30S'][i] ?? s.delay })),
    };
    await system.call('PUT', '/v1/admin/lanes/abandoned_cart', settings);
    say('   lane abandoned_cart: delays shortened for the demo to 3 s, 15 s and 30 s after the cart was left');

    const now = () => new Date().toISOString();
    const event = (type: string, data: object) => ({ id: randomUUID(), type, occurred_at: now(), data });
    const store = system.store;
    if (!store) throw new Error('the demo plays the store: startSystem must start its fake');
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
    const line = {
      product_id: 42,
      name: 'Handloom cotton kurta',
      quantity: 2,
      unit_price: 129900,
      line_total: 259800,
      image_url: 'https://shop.example/wp-content/uploads/kurta.jpg',
      url: 'https://shop.example/product/kurta/',
    };
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
        event('checkout.contact_captured', { cart_key: CART, phone: PHONE, first_name: 'Anna', country: 'IN' }),
      ],
    });
    say('   her cart: 2 × Handloom cotton kurta, ₹2,598.00. Then she closes the tab.');

    step(2, 'Silence. The sidecar waits for the cart to be idle, checks consent, caps and quiet hours…');
    const [first] = await until('the first message', async () => {
      const list = await phoneMessages(system);
      return list.length > 0 && list;
    });
    const asked = store.calls.filter((c) => c.route === 'orders').length;
    say(
      `   …asks the store whether she has ordered since (signed POST /sidecar/orders, ${asked}×: no), and her phone shows:`,
    );
    if (first) printPhone(first);

    step(3, 'She taps "View cart". The link goes to the sidecar, which records the click:');
    const button = first?.buttons?.find((b) => b.url)?.url ?? '';
    const code = button.split('/r/')[1] ?? '';
    const click = await fetch(`${system.sidecarUrl}/r/${code}`, { redirect: 'manual' });
    const location = click.headers.get('location') ?? '';
    say(`   GET /r/${code} → ${click.status} ${location.replace(/cartback_restore=.*/, 'cartback_restore=<token>')}`);
    const token = new URL(location).searchParams.get('cartback_restore') ?? '';
    const restore = await system.call('GET', `/v1/restore/${token}`);
    const cart = (restore.body as { cart: { lines: Array<{ name: string; quantity: number }> } }).cart;
    say(
      `   the plugin asks GET /v1/restore/<token> → ${restore.status}: ${cart.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}`,
    );
    say('   (the store rebuilds the cart and pre-fills her phone at checkout; nobody is logged in)');

    step(4, 'She places the order. Nobody else visits the store, so no WP-Cron runs to deliver its outbox…');
    const orderedAt = Date.now();
    outbox.push(
      event('order.created', {
        order_id: 1001,
        cart_key: CART,
        phone: PHONE,
        status: 'processing',
        currency: 'INR',
        totals,
        lines: [line],
        coupons: [],
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

    step(5, 'Later she replies STOP.');
    await system.sandbox('inbound', { from: PHONE, text: 'STOP' });
    const confirmation = await until('the confirmation', async () =>
      (await phoneMessages(system)).find((m) => m.type === 'text'),
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
