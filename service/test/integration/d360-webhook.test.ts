import { consentOf } from '../../src/consent/ledger';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { D360_SECRET_HEADER } from '../../src/whatsapp/webhook';
import { createD360Provider } from '../../src/whatsapp/d360';
import { dispatchUntil, enrolWithQueuedMessage, statusDelivery } from '../support/whatsapp-fixtures';
import { batch, event } from '../support/events';
import { signedPost, useTestApp, type TestAppOptions } from '../support/http';
import { until } from '../support/webhook-receiver';

/**
 * `POST /v1/webhooks/whatsapp/360dialog` with the fake in 360dialog mode: deliveries in Meta's
 * shape, authenticated by the WHATSAPP_WEBHOOK_SECRET header 360dialog is told to send.
 */

const SECRET = 'd360-webhook-secret-0123456789abcdef';
const API_KEY = 'd360-webhook-test-key';
const PHONE = '+919812345678';
const options: TestAppOptions = { whatsapp: { webhookSecret: SECRET } };
const t = useTestApp(options);
let fake: FakeCloudApi;
let fakeBase = '';
const hook = () => `${t.base}/v1/webhooks/whatsapp/360dialog`;

const messageRow = (id: number) =>
  t.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  fake = createFakeCloudApi({
    accessToken: 'unused-bearer',
    appSecret: 'unused-secret',
    webhookUrl: hook(),
    statusDelayMs: 5,
    dialog360: { apiKey: API_KEY, webhookHeaders: { [D360_SECRET_HEADER]: SECRET } },
  });
  fakeBase = (await fake.listen()).url;
  options.whatsapp!.provider = createD360Provider({ apiUrl: fakeBase, apiKey: API_KEY });
});
afterAll(() => fake.close());

beforeEach(async () => {
  await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE }, new Date().toISOString())));
});

/** One status delivery in Meta's shape, with these headers. */
function postStatus(messageId: number, headers: Record<string, string>): Promise<Response> {
  const body = statusDelivery([
    { id: 'wamid.d360', status: 'delivered', biz_opaque_callback_data: `cartback:m:${messageId}` },
  ]);
  return fetch(hook(), { method: 'POST', headers, body });
}

describe('360dialog webhooks', () => {
  it('takes a send through 360dialog to read, from the statuses it forwards', async () => {
    const { messageId } = await enrolWithQueuedMessage(t.db, PHONE);
    await dispatchUntil(t.db, options.whatsapp!.provider!, messageId, 'read');
    const row = await messageRow(messageId);
    expect(row.delivered_at).not.toBeNull();
    expect(row.provider_message_id).toBe(fake.state.messages.at(-1)?.wamid);
  });

  it('opts the shopper out on an inbound STOP and confirms through 360dialog', async () => {
    const before = fake.state.messages.length;
    const res = await fetch(`${fakeBase}/_sandbox/inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: PHONE, text: 'STOP' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ delivered: true, status: 200 });
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
    expect((await consentOf(t.db, 1, contact.id)).marketing.granted).toBe(false);
    await until(() => fake.state.messages.length > before, 'the confirmation');
    expect(fake.state.messages.at(-1)).toMatchObject({ type: 'text', to: PHONE });
  });

  it.each([
    ['without the secret header', {}],
    ['with a wrong secret', { [D360_SECRET_HEADER]: 'not-the-secret-0123456789' }],
    ['signed as Meta signs, but without the secret', { 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }],
  ])('refuses a delivery %s with 401 and changes nothing', async (_name, headers) => {
    const { messageId } = await enrolWithQueuedMessage(t.db, PHONE);
    const res = await postStatus(messageId, headers);
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain(SECRET);
    expect((await messageRow(messageId)).state).toBe('queued');
  });

  it('answers 503 while WHATSAPP_WEBHOOK_SECRET is unset, and changes nothing', async () => {
    const { messageId } = await enrolWithQueuedMessage(t.db, PHONE);
    options.whatsapp!.webhookSecret = undefined;
    try {
      const res = await postStatus(messageId, { [D360_SECRET_HEADER]: SECRET });
      expect(res.status).toBe(503);
    } finally {
      options.whatsapp!.webhookSecret = SECRET;
    }
    expect((await messageRow(messageId)).state).toBe('queued');
  });

  it('applies a delivery with the right secret', async () => {
    const { messageId } = await enrolWithQueuedMessage(t.db, PHONE);
    await t.db.updateTable('messages').set({ state: 'unknown' }).where('id', '=', messageId).execute();
    const res = await postStatus(messageId, { [D360_SECRET_HEADER]: SECRET });
    expect(res.status).toBe(200);
    expect(await messageRow(messageId)).toMatchObject({ state: 'delivered', provider_message_id: 'wamid.d360' });
  });
});
