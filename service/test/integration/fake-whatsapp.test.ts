import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { LANE_TEMPLATES } from '../../src/fake-whatsapp/lane-templates';
import { DEFAULT_TEMPLATES } from '../../src/fake-whatsapp/templates';
import type { StatusUpdate } from '../../src/whatsapp/types';
import { freePort, run } from '../support/process';
import { cartReminder, price, text } from '../support/cart-reminder';
import { startReceiver, until, type Received } from '../support/webhook-receiver';

/** The fake WhatsApp Cloud API (a test double), over real HTTP, with a real webhook receiver. */

const TOKEN = 'test-access-token-0123';
const APP_SECRET = 'test-app-secret-4567';
const PHONE_NUMBER_ID = '106540352242922';
const WABA_ID = '102290129340398';
const SHOPPER = '+919812345678';
const WA_ID = '919812345678';

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, asserted by tests
}

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function post(url: string, body: unknown, token: string | null = TOKEN, signal?: AbortSignal): Promise<Reply> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return call(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
}

function statusesOf(received: Received, wamid: string): StatusUpdate[] {
  return received
    .flatMap((r) => r.body.entry.flatMap((e) => e.changes.flatMap((c) => c.value.statuses ?? [])))
    .filter((s) => s.id === wamid);
}

/** Waits for `count` status webhooks about `wamid`. */
function statuses(received: Received, wamid: string, count: number): Promise<StatusUpdate[]> {
  return until(() => statusesOf(received, wamid).length >= count && statusesOf(received, wamid), `${count} statuses`);
}

/** An inbound message's fields that the fake makes up. */
const inbound = { from: WA_ID, id: expect.stringMatching(/^wamid\./), timestamp: expect.stringMatching(/^\d+$/) };

function expectMetaError(reply: Reply, code: number, status = 400): void {
  expect(reply.status).toBe(status);
  expect(reply.body.error).toMatchObject({
    message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)),
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
    fbtrace_id: expect.any(String),
  });
}

describe('fake WhatsApp Cloud API (a test double)', () => {
  let fake: FakeCloudApi;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  /** The fake's clock: real time unless a test moves it. */
  let clock: () => number = Date.now;
  const messagesUrl = () => `${base}/v24.0/${PHONE_NUMBER_ID}/messages`;
  const send = (body: unknown = cartReminder(), token?: string | null) => post(messagesUrl(), body, token);
  const sandbox = (path: string, body?: unknown) =>
    body === undefined ? call(`${base}/_sandbox/${path}`) : post(`${base}/_sandbox/${path}`, body, null);
  /** The only change of the i-th webhook received, once its signature is checked. */
  const change = (i = 0) => {
    expect(receiver.received[i]?.signatureValid).toBe(true);
    return receiver.received[i]!.body.entry[0]!.changes[0]!;
  };

  beforeAll(async () => {
    receiver = await startReceiver(APP_SECRET);
    fake = createFakeCloudApi({
      accessToken: TOKEN,
      appSecret: APP_SECRET,
      webhookUrl: receiver.url,
      statusDelayMs: 5,
      webhookAttempts: 2,
      webhookBackoffMs: 10,
      now: () => clock(),
      templates: [{ ...structuredClone(DEFAULT_TEMPLATES[1]!), status: 'PAUSED' }],
    });
    base = (await fake.listen()).url;
  });
  beforeEach(async () => {
    clock = Date.now;
    receiver.answer = 200;
    fake.state.settings.rateLimit = 80;
    expect((await sandbox('reset', {})).status).toBe(200);
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  it('accepts a valid send, records it, and reports sent, delivered, read, signed and echoing the callback data', async () => {
    expect((await sandbox('health')).status).toBe(200);
    const reply = await send(cartReminder({ callback: 'msg_01HV' }));
    expect(reply.status).toBe(200);
    const wamid: string = reply.body.messages[0].id;
    expect(reply.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: SHOPPER, wa_id: WA_ID }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/), message_status: 'accepted' }],
    });

    const reported = await statuses(receiver.received, wamid, 3);
    expect(reported.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    for (const s of reported) {
      expect(s).toMatchObject({ recipient_id: WA_ID, biz_opaque_callback_data: 'msg_01HV' });
      expect(s.timestamp).toMatch(/^\d{10}$/);
    }
    expect(reported[0]!.pricing).toEqual({ billable: true, pricing_model: 'PMP', category: 'marketing' });
    expect(reported[2]!.pricing).toBeUndefined();
    const { object, entry } = receiver.received[0]!.body;
    expect([object, entry[0]!.id, change().field]).toEqual(['whatsapp_business_account', WABA_ID, 'messages']);
    const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID };
    expect(change().value).toMatchObject({ messaging_product: 'whatsapp', metadata });

    const { body } = await sandbox('messages');
    expect(body.messages).toEqual([
      expect.objectContaining({
        wamid,
        to: SHOPPER,
        template: { name: 'cart_reminder_1', language: 'en', category: 'MARKETING' },
        biz_opaque_callback_data: 'msg_01HV',
        header: 'https://shop.example/p.jpg',
        body: 'Hi Anna, your cart with 2 item(s), including Blue Mug, is waiting: ₹1,299.00. Tap below to pick up where you left off.',
        buttons: [
          { type: 'URL', text: 'View cart', url: 'https://cartback.example/r/Ab3kQ9' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
        ],
        receivedAt: expect.any(String),
        status: 'read',
      }),
    ]);
    expect(body.messages[0].components).toEqual(cartReminder().template.components);
  });

  it('refuses a wrong or missing bearer token with 401 and code 190', async () => {
    expectMetaError(await send(cartReminder(), 'wrong-token'), 190, 401);
    expectMetaError(await send(cartReminder(), null), 190, 401);
    expect((await sandbox('messages')).body.messages).toEqual([]);
    const auth = expect.objectContaining({ reason: 'auth', code: 190, httpStatus: 401 });
    expect((await sandbox('rejections')).body.rejections).toEqual([auth, auth]);
  });

  it('refuses another phone number id, a malformed version, and malformed JSON with code 100', async () => {
    expectMetaError(await post(`${base}/v24.0/999/messages`, cartReminder()), 100);
    expectMetaError(await post(`${base}/24/${PHONE_NUMBER_ID}/messages`, cartReminder()), 100);
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` };
    expectMetaError(await call(messagesUrl(), { method: 'POST', headers, body: '{"messaging_product":' }), 100);
  });

  it('refuses a parameter count that does not match the template with 132000', async () => {
    const reply = await send(cartReminder({ body: [text('Anna'), text('2'), text('Blue Mug')] }));
    expectMetaError(reply, 132000);
    expect(reply.body.error.error_data.details).toBe(
      'body: number of localizable_params (3) does not match the expected number of params (4)',
    );
    expect((await sandbox('rejections')).body.rejections).toEqual([
      expect.objectContaining({ reason: 'invalid', code: 132000, to: SHOPPER, template: 'cart_reminder_1' }),
    ]);
  });

  it.each([
    ['a newline', 'Blue\nMug'],
    ['a tab', 'Blue\tMug'],
    ['five spaces in a row', 'Blue     Mug'],
  ])('refuses %s in a parameter with 132018', async (_what, value) => {
    expectMetaError(await send(cartReminder({ body: [text('Anna'), text('2'), text(value), price] })), 132018);
  });

  it('refuses an unknown template or a missing language with 132001', async () => {
    expectMetaError(await send(cartReminder({ name: 'cart_reminder_9' })), 132001);
    const noLanguage = cartReminder();
    (noLanguage.template as { language?: unknown }).language = undefined;
    expectMetaError(await send(noLanguage), 132001);
  });

  it('refuses a paused template with 132015 and a disabled one with 132016', async () => {
    expectMetaError(await send(cartReminder({ name: 'cart_reminder_2' })), 132015);
    const disabled = { ...structuredClone(DEFAULT_TEMPLATES[2]!), status: 'DISABLED' };
    expect((await sandbox('templates', disabled)).status).toBe(200);
    expectMetaError(await send(cartReminder({ name: 'cart_reminder_3' })), 132016);
  });

  it('refuses lengths over the limits with 100', async () => {
    expectMetaError(await send(cartReminder({ body: [text('A'), text('2'), text('x'.repeat(1100)), price] })), 100);
    expectMetaError(await send(cartReminder({ callback: 'c'.repeat(513) })), 100);
    expect((await send(cartReminder({ callback: 'c'.repeat(512) }))).status).toBe(200);
  });

  it('fails the next send with an injected Meta error, once, then accepts', async () => {
    expect((await sandbox('fail', { code: 131026 })).status).toBe(200);
    const failed = await send();
    expectMetaError(failed, 131026);
    expect(failed.body.error.message).toBe('(#131026) Message undeliverable');
    expect((await send()).status).toBe(200);
    expect((await sandbox('messages')).body.messages).toHaveLength(1);
  });

  it('accepts a send and then reports it failed, in status mode', async () => {
    await sandbox('fail', { code: 131049, mode: 'status', count: 1 });
    const reply = await send(cartReminder({ callback: 'msg_02' }));
    expect(reply.status).toBe(200);
    const wamid: string = reply.body.messages[0].id;
    const [failed] = await statuses(receiver.received, wamid, 1);
    const errors = [{ code: 131049, title: expect.any(String) }];
    expect(failed).toMatchObject({ status: 'failed', biz_opaque_callback_data: 'msg_02', errors });
    expect(receiver.received[0]!.signatureValid).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(statusesOf(receiver.received, wamid)).toHaveLength(1);
    expect((await sandbox('messages')).body.messages[0]).toMatchObject({ wamid, status: 'failed' });
  });

  it('caps throughput: above the rate limit in one second a send gets 130429', async () => {
    fake.state.settings.rateLimit = 5;
    const second = Date.now();
    clock = () => second;
    const replies = await Promise.all(Array.from({ length: 6 }, () => send()));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 400]);
    expectMetaError(
      replies.find((r) => r.status === 400)!,
      130429,
    );
    expect((await sandbox('messages')).body.messages).toHaveLength(5);
    const capped = expect.objectContaining({ reason: 'rate_limit', code: 130429 });
    expect((await sandbox('rejections')).body.rejections).toEqual([capped]);
    clock = () => second + 1000;
    expect((await send()).status).toBe(200);
  });

  it('delivers an inbound text, signed, and opens the 24 h window for a text message', async () => {
    const freeForm = { messaging_product: 'whatsapp', to: SHOPPER, type: 'text', text: { body: 'No more offers.' } };
    expectMetaError(await send(freeForm), 131047);

    const reply = await sandbox('inbound', { from: SHOPPER, text: 'STOP' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ delivered: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(reply.body.webhook).toEqual(receiver.received[0]!.body);
    expect(change().field).toBe('messages');
    expect(change().value.contacts).toEqual([{ profile: { name: expect.any(String) }, wa_id: WA_ID }]);
    expect(change().value.messages).toEqual([{ ...inbound, type: 'text', text: { body: 'STOP' } }]);

    const accepted = await send(freeForm);
    expect(accepted.status).toBe(200);
    const [sent] = await statuses(receiver.received, accepted.body.messages[0].id, 3);
    expect(sent!.pricing).toEqual({ billable: false, pricing_model: 'PMP', category: 'service' });
    expect((await sandbox('messages')).body.messages[0]).toMatchObject({ type: 'text', body: 'No more offers.' });

    clock = () => Date.now() + 24 * 60 * 60 * 1000;
    expectMetaError(await send(freeForm), 131047);
  });

  it('delivers a quick-reply button press with its context', async () => {
    const reply = await sandbox('inbound', { from: SHOPPER, payload: 'STOP', context_id: 'wamid.ABC', name: 'Anna' });
    expect(reply.body.delivered).toBe(true);
    expect(change().value.contacts).toEqual([{ profile: { name: 'Anna' }, wa_id: WA_ID }]);
    const context = { from: '15550783881', id: 'wamid.ABC' };
    const button = { payload: 'STOP', text: 'STOP' };
    expect(change().value.messages).toEqual([{ ...inbound, type: 'button', button, context }]);
  });

  it('delivers a user_preferences stop, after which marketing sends to that number fail with 131050', async () => {
    expect((await sandbox('inbound', { from: SHOPPER, preference: 'stop' })).body.delivered).toBe(true);
    expect(change().field).toBe('user_preferences');
    expect(change().value.user_preferences).toEqual([
      {
        wa_id: WA_ID,
        detail: expect.any(String),
        category: 'marketing_messages',
        value: 'stop',
        timestamp: expect.stringMatching(/^\d+$/),
      },
    ]);

    const sent = await send();
    expect(sent.status).toBe(200);
    const [failed] = await statuses(receiver.received, sent.body.messages[0].id, 1);
    expect(failed).toMatchObject({ status: 'failed', errors: [{ code: 131050 }] });
  });

  it('says when the webhook receiver did not answer 2xx, after retrying', async () => {
    receiver.answer = 500;
    const reply = await sandbox('inbound', { from: SHOPPER, text: 'hello' });
    expect(reply.body).toMatchObject({ delivered: false, status: 500, attempts: 2 });
    expect(receiver.received).toHaveLength(2);
  });

  it('refuses a malformed sandbox request, naming the field', async () => {
    const reply = await sandbox('inbound', { from: 'nobody', text: 'hi' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'invalid_request', path: 'from' });
    expect((await sandbox('fail', { mode: 'error' })).body.error.path).toBe('code');
  });

  it('lists the registered templates, page by page', async () => {
    const url = `${base}/v24.0/${WABA_ID}/message_templates`;
    const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
    const names = (reply: Reply) => reply.body.data.map((t: { name: string }) => t.name);
    const first = await call(`${url}?fields=name,status,category,language,components&limit=2`, auth);
    expect(first.status).toBe(200);
    expect(names(first)).toEqual(['cart_reminder_1', 'cart_reminder_2']);
    expect(first.body.data[0]).toEqual(DEFAULT_TEMPLATES[0]);
    expect(first.body.data[1].status).toBe('PAUSED');
    const after = first.body.paging.cursors.after as string;
    expect(first.body.paging.next).toContain(`after=${after}`);

    const second = await call(`${url}?fields=name&limit=2&after=${after}`, auth);
    expect(second.body.data).toEqual([
      { id: DEFAULT_TEMPLATES[2]!.id, name: 'cart_reminder_3' },
      { id: DEFAULT_TEMPLATES[3]!.id, name: 'cart_reminder_1_text' },
    ]);
    const third = await call(`${url}?fields=name&limit=2&after=${second.body.paging.cursors.after}`, auth);
    expect(names(third)).toEqual(['cart_reminder_2_text', 'cart_reminder_3_text']);
    const rest: string[] = []; // Then the other lanes' defaults and the coupon reminder, to a last page that points nowhere.
    for (let page = third; page.body.paging.next; rest.push(...names(page))) {
      page = await call(`${url}?fields=name&limit=2&after=${page.body.paging.cursors.after}`, auth);
    }
    expect(rest).toEqual([...LANE_TEMPLATES.map((t) => t.name), 'cart_reminder_2_coupon']);
    const back = await call(`${url}?fields=name&limit=2&before=${second.body.paging.cursors.before}`, auth);
    expect(names(back)).toEqual(['cart_reminder_1', 'cart_reminder_2']);

    expectMetaError(await call(url), 190, 401);
    expectMetaError(await call(`${base}/v24.0/1/message_templates`, auth), 100);
  });

  it('can accept a send it never answers: its statuses still follow, for reconciliation', async () => {
    await sandbox('fail', { mode: 'timeout', accept: true });
    const held = post(messagesUrl(), cartReminder({ callback: 'msg_03' }), TOKEN, AbortSignal.timeout(200));
    await expect(held).rejects.toThrow(/abort|timeout/i);
    const [message] = (await sandbox('messages')).body.messages;
    const [sent] = await statuses(receiver.received, message.wamid, 3);
    expect(sent).toMatchObject({ status: 'sent', biz_opaque_callback_data: 'msg_03' });
  });

  it('resets: nothing received, no failures queued, the first templates', async () => {
    await send();
    await sandbox('fail', { code: 131026, count: 3 });
    await sandbox('templates', { ...structuredClone(DEFAULT_TEMPLATES[0]!), status: 'PAUSED' });
    await sandbox('reset', {});
    expect((await sandbox('messages')).body.messages).toEqual([]);
    expect((await send()).status).toBe(200);
  });
});

describe('fake WhatsApp Cloud API (a test double): timeout mode', () => {
  it('never answers the next sends, and close() still works with a request held open', async () => {
    const fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: APP_SECRET });
    const { url } = await fake.listen();
    const messages = `${url}/v24.0/${PHONE_NUMBER_ID}/messages`;
    await post(`${url}/_sandbox/fail`, { mode: 'timeout', times: 2 }, null);

    await expect(post(messages, cartReminder(), TOKEN, AbortSignal.timeout(200))).rejects.toThrow(/abort|timeout/i);
    const held = post(messages, cartReminder());
    await until(() => fake.state.rejections.length === 2, 'the second send to be held');
    expect(fake.state.rejections.map((r) => r.reason)).toEqual(['timeout', 'timeout']);

    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(held).rejects.toThrow();
  });
});

describe('npm run fake:whatsapp', () => {
  it('serves until SIGTERM, then exits 0, never logging the token or a full number', async () => {
    const port = await freePort();
    const proc = run('fake-whatsapp/main.js', [], { PORT: String(port), FAKE_ACCESS_TOKEN: TOKEN });
    const base = `http://127.0.0.1:${port}`;
    const up = () =>
      fetch(`${base}/_sandbox/health`).then(
        (r) => r.ok,
        () => proc.child.exitCode !== null,
      );
    await until(up, 'the fake to answer', 10_000);
    expect(proc.child.exitCode).toBeNull();
    expect((await post(`${base}/v24.0/${PHONE_NUMBER_ID}/messages`, cartReminder())).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('test double');
    expect(proc.stdout()).not.toContain(TOKEN);
    expect(proc.stdout()).not.toContain(WA_ID);
  });

  it('refuses an invalid setting with one line naming the variable, and exit code 1', async () => {
    const proc = run('fake-whatsapp/main.js', [], { FAKE_RATE_LIMIT: 'lots' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr().trim().split('\n')).toEqual([expect.stringContaining('FAKE_RATE_LIMIT')]);
  });
});
