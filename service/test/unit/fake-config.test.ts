import { loadFakeConfig } from '../../src/fake-whatsapp/config';

describe("the fake WhatsApp's configuration", () => {
  it('speaks the Cloud API unless FAKE_D360_API_KEY is set', () => {
    expect(loadFakeConfig({}).dialog360).toBeUndefined();
  });

  it('with FAKE_D360_API_KEY, runs in 360dialog mode and sends FAKE_WEBHOOK_SECRET with its webhooks', () => {
    expect(loadFakeConfig({ FAKE_D360_API_KEY: 'key-1', FAKE_WEBHOOK_SECRET: 'a-webhook-secret' }).dialog360).toEqual({
      apiKey: 'key-1',
      webhookHeaders: { 'X-Cartback-Webhook-Secret': 'a-webhook-secret' },
    });
    expect(() => loadFakeConfig({ FAKE_D360_API_KEY: 'has spaces' })).toThrow('FAKE_D360_API_KEY');
  });
});
