import { createHmac } from 'node:crypto';
import { Dispatcher, callbackDataFor } from '../../src/dispatch/dispatcher';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { LostSweeper } from '../../src/reconcile/sweeper';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { batch, event } from '../support/events';
import { signedPost, signedRequest, useTestApp } from '../support/http';
import { journal, laneSettings, minutesLater, tick } from '../support/journey';
import { until } from '../support/webhook-receiver';

/**
 * A send lost before it reached WhatsApp (the request timed out, nothing arrived): `unknown`,
 * then `lost` once the reconcile window runs out without a status — never resent, counted in
 * the metrics and reported to the admin — while a status that still comes wins.
 */
const APP_SECRET = 'lost-test-app-secret';
const TOKEN = 'lost-test-token';
const WINDOW_MS = 36 * 3_600_000;
const metrics = createMetrics();
const t = useTestApp({ whatsapp: { appSecret: APP_SECRET }, metrics, reconcileWindowMs: WINDOW_MS });
let fake: FakeCloudApi;
let provider: WhatsAppProvider;
let fakeBase = '';
let n = 0;
const running: Dispatcher[] = [];

beforeAll(async () => {
  // No webhook URL: WhatsApp's statuses do not reach the sidecar on their own ("slow webhooks").
  fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: APP_SECRET, statusDelayMs: 5 });
  const { url } = await fake.listen();
  fakeBase = url;
  provider = createCloudProvider({
    apiUrl: url,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    // Long enough that a send the fake answers is never cut short on a busy machine (step 2
    // must arrive); the held request of step 1 simply waits this out.
    timeoutMs: 2_000,
  });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
  await fetch(`${fakeBase}/_sandbox/reset`, { method: 'POST' });
});
afterAll(() => fake.close());

/** A consenting shopper with an abandoned cart, as the plugin reports them now. */
async function shopperWithCart(): Promise<{ phone: string; cartKey: string }> {
  n++;
  const phone = `+9198765${String(51000 + n).padStart(5, '0')}`;
  const cartKey = `lost-cart-${n}-${Date.now()}`;
  const now = new Date().toISOString();
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, now),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined }, now),
      event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, now),
    ),
  );
  expect(reply.status).toBe(200);
  return { phone, cartKey };
}

/** A dispatcher whose clock reads `clock()` (claims messages due by then). */
function dispatcher(clock: () => Date): Dispatcher {
  const d = new Dispatcher({ db: t.db, provider, logger: createLogger('silent'), idleMs: 20, now: clock });
  d.start();
  running.push(d);
  return d;
}

const sweeper = () => new LostSweeper({ db: t.db, logger: createLogger('silent'), windowMs: WINDOW_MS, metrics });

const status = async () => (await signedRequest(t.base, 'GET', '/v1/admin/status')).body.messages;

async function metricsText(): Promise<string> {
  const res = await fetch(`${t.base}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** POSTs one status webhook as Meta (or its retry) delivers it, signed with the app secret. */
function postStatus(item: Record<string, unknown>): Promise<Response> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [{ field: 'messages', value: { statuses: [{ timestamp: '1763700000', ...item }] } }],
      },
    ],
  });
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  return fetch(`${t.base}/v1/webhooks/whatsapp/cloud`, {
    method: 'POST',
    headers: { 'X-Hub-Signature-256': `sha256=${signature}` },
    body,
  });
}

/** Step 1 of a fresh journey, sent into a request WhatsApp never answers: `unknown`. */
async function unknownFirstStep(accept: boolean) {
  const { cartKey, phone } = await shopperWithCart();
  const settings = laneSettings();
  let clock = minutesLater(16);
  await tick(t.db, settings, clock);
  const held = await fetch(`${fakeBase}/_sandbox/fail`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mode: 'timeout', accept }),
  });
  expect(held.status).toBe(200);
  dispatcher(() => clock);
  const unknown = await until(async () => {
    const m = (await journal(t.db, cartKey)).messages[0];
    return m?.state === 'unknown' && m;
  }, 'step 1 unknown after the timeout');
  return { cartKey, phone, settings, unknown, setClock: (at: Date) => (clock = at) };
}

it('turns an unknown send lost after the window, never resends it, counts it and reports it', async () => {
  const { cartKey, phone, settings, unknown, setClock } = await unknownFirstStep(false);
  expect(fake.state.messages).toHaveLength(0); // it never reached WhatsApp
  expect(unknown.attempted_at).not.toBeNull();
  const attemptedAt = unknown.attempted_at as Date;
  expect(await status()).toEqual({ unknown: 1, lost: 0, reconcile_window_seconds: 129_600 });

  // 1 ms inside the window: still waiting for its status.
  expect(await sweeper().sweep(new Date(attemptedAt.getTime() + WINDOW_MS - 1))).toBe(0);
  expect((await journal(t.db, cartKey)).messages[0]?.state).toBe('unknown');

  // At the end of the window: lost, with a history entry saying why.
  const end = new Date(attemptedAt.getTime() + WINDOW_MS);
  expect(await sweeper().sweep(end)).toBe(1);
  let j = await journal(t.db, cartKey);
  expect(j.messages[0]).toMatchObject({ state: 'lost', lost_at: end, attempts: 1 });
  expect(j.history.filter((h) => h.kind === 'lost')).toEqual([
    expect.objectContaining({
      step: 0,
      reason: 'reconcile_timeout',
      detail: expect.stringMatching(/^no status from WhatsApp within 36 h of the send .*; lost, never resent$/),
    }),
  ]);
  // A second sweep changes nothing: idempotent.
  expect(await sweeper().sweep(new Date(end.getTime() + 60_000))).toBe(0);
  expect((await journal(t.db, cartKey)).history.filter((h) => h.kind === 'lost')).toHaveLength(1);

  expect(await status()).toEqual({ unknown: 0, lost: 1, reconcile_window_seconds: 129_600 });
  const text = await metricsText();
  expect(text).toMatch(/^cartback_messages_lost_total 1$/m);
  expect(text).toMatch(/^cartback_messages_lost 1$/m);
  expect(text).toMatch(/^cartback_messages_unknown 0$/m);
  expect(text).not.toContain(phone.slice(1));

  // The journey goes on as after a failed send: step 2 goes when due, step 1 never again.
  // One instant for both: the step's message is due at the tick's `now`, and a dispatcher whose
  // clock read a millisecond earlier would never claim it.
  const later = minutesLater(241);
  setClock(later);
  await tick(t.db, settings, later);
  // Waits as long as a loaded machine needs: the dispatcher polls, the fake answers over HTTP.
  await until(
    async () => (await journal(t.db, cartKey)).messages[1]?.state === 'submitted',
    'step 2 submitted',
    20_000,
  );
  expect(fake.state.messages.map((m) => m.template?.name)).toEqual(['cart_reminder_2']);
  j = await journal(t.db, cartKey);
  expect(j.messages.map((m) => [m.step, m.state, m.attempts])).toEqual([
    [0, 'lost', 1],
    [1, 'submitted', 1],
  ]);
});

it('lets a status that comes after the window win: delivered after lost means it did arrive', async () => {
  const { cartKey, unknown } = await unknownFirstStep(true);
  // WhatsApp has it (accepted, the answer lost); its statuses have not reached the sidecar.
  const [arrived] = fake.state.messages;
  expect(arrived?.biz_opaque_callback_data).toBe(callbackDataFor(unknown.id));
  await sweeper().sweep(new Date((unknown.attempted_at as Date).getTime() + WINDOW_MS));
  expect((await journal(t.db, cartKey)).messages[0]?.state).toBe('lost');
  const before = await status();

  // Meta's retry of the delivered status, a day and a half later, found by its callback data.
  const res = await postStatus({
    id: arrived?.wamid,
    recipient_id: arrived?.wa_id,
    status: 'delivered',
    biz_opaque_callback_data: arrived?.biz_opaque_callback_data,
  });
  expect(res.status).toBe(200);
  const j = await journal(t.db, cartKey);
  expect(j.messages[0]).toMatchObject({ state: 'delivered', provider_message_id: arrived?.wamid });
  expect(j.history.at(-1)).toMatchObject({
    kind: 'reconciled',
    step: 0,
    detail: 'status delivered came after the send was marked lost: it did reach WhatsApp',
  });
  expect(await status()).toEqual({ ...before, lost: before.lost - 1 });
  // The gauges follow at the next sweep; the counter keeps what happened.
  await sweeper().sweep(new Date());
  const text = await metricsText();
  expect(text).toMatch(new RegExp(`^cartback_messages_lost ${before.lost - 1}$`, 'm'));
});

/** `n` messages left `unknown` by a send attempted `agoMs` ago, for contact `contactId` (journeys from `from`). */
async function unknownRows(n: number, agoMs: number, contactId: number, from = 0): Promise<void> {
  const at = new Date(Date.now() - agoMs);
  const rows = Array.from({ length: n }, (_, i) => ({
    store_id: 1,
    enrollment_id: 700_000 + contactId * 1000 + from + i,
    step: 0,
    lane: 'abandoned_cart',
    category: 'marketing' as const,
    contact_id: contactId,
    phone: '+919800000007',
    state: 'unknown' as const,
    due_at: at,
    attempts: 1,
    attempted_at: at,
    created_at: at,
    updated_at: at,
  }));
  await t.db.insertInto('messages').values(rows).execute();
}

const countsFor = async (contactId: number) =>
  Object.fromEntries(
    (
      await t.db
        .selectFrom('messages')
        .select('state')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('contact_id', '=', contactId)
        .groupBy('state')
        .execute()
    ).map((r) => [r.state, Number(r.n)]),
  );

it('two sweeps at once (two sidecars) lose each message exactly once, in small batches', async () => {
  await unknownRows(230, WINDOW_MS + 60_000, 901);
  await unknownRows(3, WINDOW_MS - 60_000, 901, 500); // still inside the window
  const one = new LostSweeper({ db: t.db, logger: createLogger('silent'), windowMs: WINDOW_MS, batch: 25 });
  const two = new LostSweeper({ db: t.db, logger: createLogger('silent'), windowMs: WINDOW_MS, batch: 25 });
  const now = new Date();
  const [a, b] = await Promise.all([one.sweep(now), two.sweep(now)]);
  expect(a + b).toBe(230);
  expect(await countsFor(901)).toEqual({ lost: 230, unknown: 3 });
  const history = await t.db
    .selectFrom('enrollment_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'lost')
    .where('enrollment_id', '>=', 700_000 + 901 * 1000)
    .where('enrollment_id', '<', 700_000 + 902 * 1000)
    .executeTakeFirstOrThrow();
  expect(Number(history.n)).toBe(230);
});

it('the sweeper, once started, sweeps at once (a sidecar back after days down reports at once)', async () => {
  await unknownRows(2, WINDOW_MS + 3_600_000, 902);
  const started = new LostSweeper({ db: t.db, logger: createLogger('silent'), windowMs: WINDOW_MS });
  started.start();
  try {
    await until(async () => (await countsFor(902)).lost === 2, 'both lost after the start');
  } finally {
    await started.stop();
  }
  expect(await countsFor(902)).toEqual({ lost: 2 });
});
