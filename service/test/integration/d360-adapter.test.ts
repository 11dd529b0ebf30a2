import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import { createD360Provider } from '../../src/whatsapp/d360';
import { WhatsAppApiError, type OutgoingTemplate } from '../../src/whatsapp/provider';
import { parseTemplateDefinition } from '../../src/whatsapp/templates';
import { cartReminder } from '../support/cart-reminder';

/**
 * The 360dialog adapter over real HTTP against the fake in 360dialog mode (which accepts only
 * `POST /messages` with the right `D360-API-KEY`, and Cloud-API bodies), plus a recording server
 * for what goes on the wire.
 */

const API_KEY = 'd360-integration-key-0123456789';
const PHONE = '+919812345678';

let fake: FakeCloudApi;
let fakeBase = '';

const reminder = (overrides: Partial<OutgoingTemplate> = {}): OutgoingTemplate => ({
  to: PHONE,
  template: 'cart_reminder_1',
  language: 'en',
  components: cartReminder().template.components as OutgoingTemplate['components'],
  callbackData: 'cartback:m:42',
  ...overrides,
});

const fail = (body: Record<string, unknown>) =>
  fetch(`${fakeBase}/_sandbox/fail`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ count: 1, ...body }),
  });

beforeAll(async () => {
  fake = createFakeCloudApi({
    accessToken: 'unused-bearer',
    appSecret: 'unused-secret',
    statusDelayMs: 5,
    dialog360: { apiKey: API_KEY, webhookHeaders: {} },
  });
  fakeBase = (await fake.listen()).url;
});
afterAll(() => fake.close());
beforeEach(() => fetch(`${fakeBase}/_sandbox/reset`, { method: 'POST' }));

describe('360dialog adapter', () => {
  it('sends a Cloud-shaped template to {base}/messages with D360-API-KEY, and no bearer token', async () => {
    const seen: Array<{ path: string; key?: string; authorization?: string; body: unknown }> = [];
    const app = express();
    app.use(express.json());
    app.post('/{*rest}', (req, res) => {
      seen.push({
        path: req.path,
        key: req.get('d360-api-key'),
        authorization: req.get('authorization'),
        body: req.body,
      });
      res.json({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.recorded' }] });
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const outcome = await createD360Provider({ apiUrl: base, apiKey: API_KEY }).sendTemplate(reminder());
      expect(outcome).toEqual({ kind: 'accepted', providerMessageId: 'wamid.recorded' });
      expect(seen).toEqual([
        {
          path: '/messages',
          key: API_KEY,
          authorization: undefined,
          body: {
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to: PHONE,
            type: 'template',
            biz_opaque_callback_data: 'cartback:m:42',
            template: { name: 'cart_reminder_1', language: { code: 'en' }, components: reminder().components },
          },
        },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is accepted by the 360dialog double, which records the message', async () => {
    const outcome = await createD360Provider({ apiUrl: fakeBase, apiKey: API_KEY }).sendTemplate(reminder());
    expect(outcome.kind).toBe('accepted');
    expect(fake.state.messages.at(-1)).toMatchObject({
      to: PHONE,
      type: 'template',
      template: { name: 'cart_reminder_1' },
      biz_opaque_callback_data: 'cartback:m:42',
    });
  });

  it.each([
    ['a per-user marketing limit', 131049, 'failed'],
    ['throttling', 130429, 'retry'],
    ["the user's own stop", 131050, 'opted_out'],
  ])('maps %s (%i) as the Cloud adapter does: %s', async (_name, code, kind) => {
    await fail({ mode: 'error', code });
    const outcome = await createD360Provider({ apiUrl: fakeBase, apiKey: API_KEY }).sendTemplate(reminder());
    expect(outcome).toMatchObject({ kind, code: String(code) });
    expect(fake.state.messages).toHaveLength(0);
  });

  it('fails a send with a wrong key (401), without the key in the outcome', async () => {
    const outcome = await createD360Provider({ apiUrl: fakeBase, apiKey: 'wrong-key-abcdef' }).sendTemplate(reminder());
    expect(outcome).toMatchObject({ kind: 'failed', code: 'http_401' });
    expect(JSON.stringify(outcome)).not.toContain('wrong-key-abcdef');
    expect(JSON.stringify(outcome)).not.toContain(API_KEY);
    expect(fake.state.messages).toHaveLength(0);
  });

  it('calls a send the double took but never answered unknown (never resent automatically)', async () => {
    await fail({ mode: 'timeout', accept: true });
    const provider = createD360Provider({ apiUrl: fakeBase, apiKey: API_KEY, timeoutMs: 300 });
    const outcome = await provider.sendTemplate(reminder());
    expect(outcome.kind).toBe('unknown');
    expect(fake.state.messages).toHaveLength(1);
  });

  it("lists the account's templates from /v1/configs/templates, page after page", async () => {
    const first = fake.state.templates[0]!;
    for (let i = 0; i < 130; i++) {
      fake.state.templates.push({ ...structuredClone(first), id: `9000${i}`, name: `extra_${i}` });
    }
    const expected = fake.state.templates.map(parseTemplateDefinition).filter((t) => t !== undefined && t !== null);
    const templates = await createD360Provider({ apiUrl: fakeBase, apiKey: API_KEY }).listTemplates();
    expect(templates.map((t) => `${t.name}/${t.language}`)).toEqual(expected.map((t) => `${t!.name}/${t!.language}`));
    expect(templates.map((t) => t.name)).toContain('extra_129');
  });

  it('refuses to list templates with a wrong key: a WhatsAppApiError without the key', async () => {
    const error = await createD360Provider({ apiUrl: fakeBase, apiKey: 'wrong-key-abcdef' })
      .listTemplates()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ code: 'http_401', retryable: false, httpStatus: 401 });
    expect((error as Error).message).not.toContain('wrong-key-abcdef');
  });
});
