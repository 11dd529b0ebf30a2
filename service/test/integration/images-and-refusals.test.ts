import { Dispatcher } from '../../src/dispatch/dispatcher';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { createLogger } from '../../src/logger';
import { saveLaneSettings } from '../../src/recovery/settings';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { cartReminder } from '../support/cart-reminder';
import { batch, event, minutesAgo } from '../support/events';
import { signedPost, useTestApp } from '../support/http';
import { laneSettings, journal } from '../support/journey';
import { testEngine, useFakeStore } from '../support/store';
import { until } from '../support/webhook-receiver';

/**
 * Products without an image, and sends WhatsApp refuses for their template: through the engine,
 * the dispatcher and the fake WhatsApp Cloud API (a test double that checks a send against the
 * approved template as Meta does), on real MariaDB.
 */
const t = useTestApp();
const store = useFakeStore();
const TOKEN = 'images-test-token';
const PLACEHOLDER = 'https://shop.example/wp-content/uploads/woocommerce-placeholder.png';
let fake: FakeCloudApi;
let fakeUrl = '';
let provider: WhatsAppProvider;
let dispatcher: Dispatcher | null = null;
let n = 0;

beforeAll(async () => {
  fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: 'images-secret', rateLimit: 1000, statusDelayMs: 5 });
  const { url } = await fake.listen();
  fakeUrl = url;
  provider = createCloudProvider({
    apiUrl: url,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    timeoutMs: 2000,
  });
  await saveLaneSettings(t.db, 1, 'abandoned_cart', laneSettings(), new Date());
  await reportStore({ placeholder_image_url: PLACEHOLDER });
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = null;
  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('state', '=', 'active')
    .execute();
  await sandbox('reset', {});
});
afterAll(() => fake.close());

/** The store reports its profile; each report a day after the one before (the newest report wins). */
let reports = 0;
async function reportStore(data: { placeholder_image_url?: string }): Promise<void> {
  const at = new Date(Date.UTC(2026, 10, 1 + reports++)).toISOString();
  const report = event('store.updated', { api_url: store.store.apiUrl, time_zone: 'UTC' }, at);
  delete report.data.placeholder_image_url;
  Object.assign(report.data, data);
  expect((await signedPost(t.base, '/v1/events', batch(report))).status).toBe(200);
}

/** A consenting shopper's cart, left 20 minutes ago; its product has an image unless `image` is false. */
async function cart(image: boolean): Promise<string> {
  n++;
  const phone = `+9198765${String(46000 + n).padStart(5, '0')}`;
  const cartKey = `image-cart-${n}`;
  const [line] = event('cart.updated').data.lines;
  const lines = [{ ...line!, image_url: image ? line!.image_url : undefined }];
  const at = minutesAgo(20);
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, at),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined, lines }, at),
      event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, at),
    ),
  );
  expect(reply.status).toBe(200);
  return cartKey;
}

function dispatch(): void {
  dispatcher = new Dispatcher({ db: t.db, provider, logger: createLogger('silent'), limitPerSecond: 100, idleMs: 20 });
  dispatcher.start();
}

const sandbox = (path: string, body: unknown) =>
  fetch(`${fakeUrl}/_sandbox/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const engine = () => testEngine(t.db, { provider });
/**
 * The cart's journal once the provider's answer is recorded: its message in `state`, the state the
 * test asserts (a wait for "no longer queued" would return while the send is still `submitting`).
 */
const answered = (cartKey: string, state: 'submitted' | 'failed') =>
  until(async () => {
    const j = await journal(t.db, cartKey);
    return j.messages.length > 0 && j.messages.every((m) => m.state === state) && j;
  }, `the message ${state}`);

describe('a product without an image', () => {
  it('is what WhatsApp requires: the image template refuses a send without its header (132000), the text-only one takes it', async () => {
    const send = (name: string) => {
      const request = cartReminder({ name });
      request.template.components = request.template.components.filter((c) => c.type !== 'header');
      return fetch(`${fakeUrl}/v24.0/106540352242922/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(request),
      });
    };
    const refused = await send('cart_reminder_1');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(132000);
    expect((await send('cart_reminder_1_text')).status).toBe(200);
    expect(fake.state.messages).toMatchObject([{ template: { name: 'cart_reminder_1_text' }, header: null }]);
  });

  it("goes with the store's placeholder image, as the step's own template", async () => {
    const cartKey = await cart(false);
    await engine().tick(new Date());
    dispatch();
    const j = await answered(cartKey, 'submitted');
    expect(j.messages).toMatchObject([{ template: 'cart_reminder_1', state: 'submitted' }]);
    expect(fake.state.messages).toMatchObject([{ template: { name: 'cart_reminder_1' }, header: PLACEHOLDER }]);
  });

  it.each([
    ['no placeholder either', {}],
    [
      "only WooCommerce 10's own placeholder, a WebP (WhatsApp's image headers take JPEG and PNG only)",
      { placeholder_image_url: 'https://shop.example/wp-content/uploads/woocommerce-placeholder-600x600.webp' },
    ],
  ])('goes as the text-only template when the store reports %s', async (_, placeholder) => {
    await reportStore(placeholder);
    try {
      const cartKey = await cart(false);
      await engine().tick(new Date());
      dispatch();
      const j = await answered(cartKey, 'submitted');
      expect(j.messages).toMatchObject([{ template: 'cart_reminder_1_text', state: 'submitted' }]);
      expect(fake.state.messages).toMatchObject([
        {
          template: { name: 'cart_reminder_1_text' },
          header: null,
          body: expect.stringMatching(/^Hi Anna, your cart with 1 item\(s\), including Handloom cotton kurta/),
        },
      ]);
    } finally {
      await reportStore({ placeholder_image_url: PLACEHOLDER });
    }
  });

  it('is skipped with no_image, never sent to be refused, when the step has no text-only template', async () => {
    await reportStore({});
    const bare = laneSettings();
    for (const step of bare.steps) delete step.template_without_image;
    await saveLaneSettings(t.db, 1, 'abandoned_cart', bare, new Date());
    try {
      const cartKey = await cart(false);
      await engine().tick(new Date());
      const j = await journal(t.db, cartKey);
      expect(j.messages).toMatchObject([{ state: 'skipped', error_message: 'no_image', payload: null }]);
      expect(j.history.at(-1)).toMatchObject({ kind: 'skipped', reason: 'no_image', step: 0 });
      expect(j.enrollment).toMatchObject({ state: 'active', next_step: 1 });
    } finally {
      await saveLaneSettings(t.db, 1, 'abandoned_cart', laneSettings(), new Date());
      await reportStore({ placeholder_image_url: PLACEHOLDER });
    }
  });
});

describe('a send WhatsApp refuses for its template', () => {
  it('is recorded with its code and stops the journey: no later step is queued', async () => {
    const cartKey = await cart(true);
    await engine().tick(new Date());
    await sandbox('fail', { code: 132000, count: 1 });
    dispatch();
    let j = await answered(cartKey, 'failed');
    expect(j.messages).toMatchObject([{ state: 'failed', error_code: '132000' }]);
    expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'template_rejected', next_due_at: null });
    expect(j.history.slice(-2)).toMatchObject([
      { kind: 'failed', step: 0, reason: 'template_rejected', detail: expect.stringMatching(/^132000: /) },
      { kind: 'stopped', reason: 'template_rejected' },
    ]);
    // Step 2 would have been due 4 hours after the cart.
    await engine().tick(new Date(Date.now() + 5 * 3600_000));
    j = await journal(t.db, cartKey);
    expect(j.messages).toHaveLength(1);
    expect(fake.state.messages).toEqual([]);
  });
});
