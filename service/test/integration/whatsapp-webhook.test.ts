import { createHmac } from 'node:crypto';
import { consentOf } from '../../src/consent/ledger';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { createLogger } from '../../src/logger';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import { dispatchUntil, enrolWithQueuedMessage, statusDelivery } from '../support/whatsapp-fixtures';
import { batch, event } from '../support/events';
import { signedPost, useTestApp, type TestAppOptions } from '../support/http';
import { until } from '../support/webhook-receiver';

const APP_SECRET = 'webhook-test-app-secret';
const TOKEN = 'webhook-test-token';
const PHONE = '+919812345678';
/** What the app logs at warn and above, one JSON line each. */
const logged: string[] = [];
const options: TestAppOptions = {
  whatsapp: { appSecret: APP_SECRET, verifyToken: 'verify-me' },
  logger: createLogger('warn', { write: (line: string) => void logged.push(line) }),
};
const t = useTestApp(options);
let fake: FakeCloudApi;
let fakeBase = '';
const hook = () => `${t.base}/v1/webhooks/whatsapp/cloud`;

const sandbox = (path: string, body: unknown) =>
  fetch(`${fakeBase}/_sandbox/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: APP_SECRET, webhookUrl: hook(), statusDelayMs: 5 });
  fakeBase = (await fake.listen()).url;
  options.whatsapp!.provider = createCloudProvider({
    apiUrl: fakeBase,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
  });
  await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE })));
});
afterAll(() => fake.close());

const enrolWithMessage = () => enrolWithQueuedMessage(t.db, PHONE);

/** POSTs a raw body to the webhook, signed as Meta signs it. */
function postSigned(body: string, secret = APP_SECRET): Promise<Response> {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return fetch(hook(), { method: 'POST', headers: { 'X-Hub-Signature-256': `sha256=${signature}` }, body });
}

/** POSTs one status webhook, as Meta would, signed with `secret`. */
function postStatus(status: Record<string, unknown>, secret = APP_SECRET): Promise<Response> {
  return postStatuses([status], secret);
}

/** POSTs one delivery holding these statuses, signed with `secret`. */
function postStatuses(statuses: Array<Record<string, unknown>>, secret = APP_SECRET): Promise<Response> {
  return postSigned(statusDelivery(statuses), secret);
}

const messageRow = (id: number) =>
  t.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('WhatsApp webhooks', () => {
  it('answers the verification handshake only with the right token', async () => {
    const ok = await fetch(`${hook()}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${hook()}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope`);
    expect(wrong.status).toBe(403);
  });

  it('refuses a forged delivery with 401 and changes nothing', async () => {
    const { messageId } = await enrolWithMessage();
    const res = await postStatus(
      { id: 'wamid.x', status: 'read', biz_opaque_callback_data: `cartback:m:${messageId}` },
      'not-the-secret',
    );
    expect(res.status).toBe(401);
    expect((await messageRow(messageId)).state).toBe('queued');
  });

  it('moves a sent message through sent, delivered and read, never backwards', async () => {
    const { messageId } = await enrolWithMessage();
    await dispatchUntil(t.db, options.whatsapp!.provider!, messageId, 'read');
    const row = await messageRow(messageId);
    expect(row.sent_at).not.toBeNull();
    expect(row.delivered_at).not.toBeNull();
    expect(row.read_at).not.toBeNull();
    // A late, repeated "sent" does not move it back.
    expect((await postStatus({ id: row.provider_message_id, status: 'sent' })).status).toBe(200);
    expect((await messageRow(messageId)).state).toBe('read');
  });

  it("keeps what Meta charged, from the status's pricing (measure/rate-card.ts prices by it)", async () => {
    const { messageId } = await enrolWithMessage();
    const res = await postStatus({
      id: 'wamid.priced',
      status: 'delivered',
      biz_opaque_callback_data: `cartback:m:${messageId}`,
      pricing: { billable: false, pricing_model: 'PMP', category: 'utility', type: 'free_customer_service' },
    });
    expect(res.status).toBe(200);
    const row = await messageRow(messageId);
    expect([row.pricing_billable, row.pricing_model, row.pricing_category, row.pricing_type]).toEqual([
      0,
      'pmp',
      'utility',
      'free_customer_service',
    ]);
  });

  it('settles an unknown send from its status webhook through the callback data', async () => {
    const { messageId } = await enrolWithMessage();
    await t.db.updateTable('messages').set({ state: 'unknown' }).where('id', '=', messageId).execute();
    const res = await postStatus({
      id: 'wamid.settled',
      status: 'delivered',
      biz_opaque_callback_data: `cartback:m:${messageId}`,
    });
    expect(res.status).toBe(200);
    expect(await messageRow(messageId)).toMatchObject({ state: 'delivered', provider_message_id: 'wamid.settled' });
  });

  it('a failed status refusing the template (132000) stops the journey with template_rejected', async () => {
    const { enrollmentId, messageId } = await enrolWithMessage();
    await t.db
      .updateTable('messages')
      .set({ state: 'submitted', provider_message_id: 'wamid.rejected' })
      .where('id', '=', messageId)
      .execute();
    const res = await postStatus({
      id: 'wamid.rejected',
      status: 'failed',
      errors: [{ code: 132000, title: 'Number of parameters does not match the expected number of params' }],
    });
    expect(res.status).toBe(200);
    expect(await messageRow(messageId)).toMatchObject({ state: 'failed', error_code: '132000' });
    const enrollment = await t.db
      .selectFrom('enrollments')
      .selectAll()
      .where('id', '=', enrollmentId)
      .executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ state: 'stopped', stop_reason: 'template_rejected', next_due_at: null });
    const history = await t.db
      .selectFrom('enrollment_history')
      .select(['kind', 'reason', 'detail'])
      .where('enrollment_id', '=', enrollmentId)
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { kind: 'failed', reason: 'template_rejected', detail: expect.stringMatching(/^132000: /) },
      { kind: 'stopped', reason: 'template_rejected', detail: expect.stringContaining('(132000)') },
    ]);
  });

  it.each([
    ['a typed STOP', { text: 'STOP' }],
    ['a Hindi बंद करो', { text: 'बंद करो' }],
    ['the opt-out button', { payload: 'STOP' }],
  ])('%s opts the shopper out at once, stops their journeys and confirms', async (_name, reply) => {
    await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE }, new Date().toISOString())));
    const { enrollmentId, messageId } = await enrolWithMessage();
    const before = fake.state.messages.length;
    const res = await sandbox('inbound', { from: PHONE, ...reply });
    expect(res.status).toBe(200);
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
    const consent = await consentOf(t.db, 1, contact.id);
    expect(consent.marketing.granted).toBe(false);
    expect(consent.utility.granted).toBe(false);
    const enrollment = await t.db
      .selectFrom('enrollments')
      .selectAll()
      .where('id', '=', enrollmentId)
      .executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ state: 'stopped', stop_reason: 'opted_out' });
    expect((await messageRow(messageId)).state).toBe('skipped');
    await until(() => fake.state.messages.length > before, 'the confirmation');
    const confirmation = fake.state.messages.at(-1);
    expect(confirmation).toMatchObject({ type: 'text', to: PHONE });
  });

  it("STOP also holds back a journey's last step already queued (the journey itself has completed)", async () => {
    await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE }, new Date().toISOString())));
    const { enrollmentId, messageId } = await enrolWithMessage();
    await t.db
      .updateTable('enrollments')
      .set({ state: 'completed', next_due_at: null })
      .where('id', '=', enrollmentId)
      .execute();
    expect((await sandbox('inbound', { from: PHONE, text: 'STOP' })).status).toBe(200);
    expect(await messageRow(messageId)).toMatchObject({ state: 'skipped', error_message: 'opted out before sending' });
  });

  it('START after a STOP gives consent again from the chat, and says so', async () => {
    const before = fake.state.messages.length;
    await sandbox('inbound', { from: PHONE, text: 'STOP' });
    await sandbox('inbound', { from: PHONE, text: 'start' });
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
    const consent = await consentOf(t.db, 1, contact.id);
    expect(consent.marketing).toMatchObject({ granted: true, decidedBy: { source: 'whatsapp_start', text: 'start' } });
    await until(() => fake.state.messages.length > before + 1, 'both confirmations');
    expect(fake.state.messages.at(-1)).toMatchObject({ type: 'text', to: PHONE });
  });

  it("WhatsApp's own stop preference withdraws marketing only", async () => {
    // Given again after the earlier tests' STOPs (stamped now, so they come after them).
    const now = new Date().toISOString();
    await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE, scope: 'utility' }, now)));
    await signedPost(t.base, '/v1/events', batch(event('consent.granted', { phone: PHONE, scope: 'marketing' }, now)));
    await sandbox('inbound', { from: PHONE, preference: 'stop' });
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
    const consent = await consentOf(t.db, 1, contact.id);
    expect(consent.marketing.granted).toBe(false);
    expect(consent.utility.granted).toBe(true);
  });

  it('refuses a delivery nested deeper than 32 levels with 400 naming where, changing nothing', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const res = await postSigned(`{"object":"whatsapp_business_account","entry":[],"pad":${deep}}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'too_deep', message: expect.any(String), path: `pad${'[0]'.repeat(31)}` },
    });
  });

  it('skips and counts a status whose id the database cannot hold (wamid.Ω), applying the rest, 200', async () => {
    const first = await enrolWithMessage();
    const second = await enrolWithMessage();
    logged.length = 0;
    const res = await postStatuses([
      { id: 'wamid.first', status: 'delivered', biz_opaque_callback_data: `cartback:m:${first.messageId}` },
      { id: 'wamid.Ω', status: 'delivered', biz_opaque_callback_data: `cartback:m:${first.messageId}` },
      { id: 'wamid.late', status: 'read', timestamp: '99999999999' },
      { id: 'wamid.second', status: 'read', biz_opaque_callback_data: `cartback:m:${second.messageId}` },
    ]);
    expect(res.status).toBe(200);
    expect(await messageRow(first.messageId)).toMatchObject({ state: 'delivered', provider_message_id: 'wamid.first' });
    expect(await messageRow(second.messageId)).toMatchObject({ state: 'read', provider_message_id: 'wamid.second' });
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toContain('cartback_webhook_items_skipped_total{kind="status",reason="message_id"} 1');
    expect(metrics).toContain('cartback_webhook_items_skipped_total{kind="status",reason="timestamp"} 1');
    const warnings = logged.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings).toEqual([
      expect.objectContaining({ level: 40, msg: 'WhatsApp webhook item skipped', reason: 'message_id' }),
      expect.objectContaining({ level: 40, msg: 'WhatsApp webhook item skipped', reason: 'timestamp' }),
    ]);
    expect(logged.join('')).not.toMatch(/9198123|wamid/);
  });
});
