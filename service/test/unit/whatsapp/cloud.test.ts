import axios, { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { ConfigError, loadConfig } from '../../../src/config';
import { cloudProviderConfig, createCloudProvider, parseRetryAfter, redact } from '../../../src/whatsapp/cloud';
import { WhatsAppApiError, type OutgoingTemplate } from '../../../src/whatsapp/provider';

/**
 * The adapter's mapping from HTTP answers and transport errors to outcomes, over a scripted axios
 * adapter (no network). The real-HTTP behaviour is in test/integration/cloud-adapter.test.ts.
 */

const TOKEN = 'EAAG-secret-token';
const config = {
  apiUrl: 'https://graph.test/',
  apiVersion: 'v24.0',
  accessToken: TOKEN,
  phoneNumberId: '106540352242922',
  wabaId: 'WABA1',
  timeoutMs: 200,
};

type Answer =
  { status: number; data?: unknown; headers?: Record<string, string> } | { error: string; message?: string } | 'hang';

/** A provider whose HTTP answers are scripted, recording each request's config. */
function scripted(...answers: Answer[]) {
  const seen: InternalAxiosRequestConfig[] = [];
  const adapter: AxiosAdapter = async (cfg) => {
    seen.push(cfg);
    const answer = answers.shift() ?? { status: 500 };
    if (answer === 'hang') return new Promise(() => undefined);
    if ('error' in answer) throw new AxiosError(answer.message ?? answer.error, answer.error, cfg);
    return { status: answer.status, statusText: '', headers: answer.headers ?? {}, data: answer.data, config: cfg };
  };
  return { provider: createCloudProvider(config, axios.create({ adapter })), seen };
}

const msg: OutgoingTemplate = {
  to: '+919812345678',
  template: 'cart_reminder_1',
  language: 'en',
  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }] }],
  callbackData: 'msg_1',
};
const graph = (code: number, message = `(#${code}) error`) => ({
  error: { message, type: 'OAuthException', code, fbtrace_id: 'Az8or2' },
});

describe('sendTemplate outcomes', () => {
  it.each<[string, Answer, object]>([
    [
      'a message id',
      {
        status: 200,
        data: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.X', message_status: 'accepted' }] },
      },
      { kind: 'accepted', providerMessageId: 'wamid.X' },
    ],
    [
      'a message held for quality assessment',
      { status: 200, data: { messages: [{ id: 'wamid.H', message_status: 'held_for_quality_assessment' }] } },
      { kind: 'accepted', providerMessageId: 'wamid.H' },
    ],
    ['a 200 without a message id', { status: 200, data: { messages: [] } }, { kind: 'unknown' }],
    ['a 200 that is not JSON', { status: 200, data: '<html>' }, { kind: 'unknown' }],
    [
      'throughput (130429)',
      { status: 400, data: graph(130429) },
      { kind: 'retry', code: '130429', retryAfterMs: 2000 },
    ],
    ['pair rate (131056)', { status: 400, data: graph(131056) }, { kind: 'retry', code: '131056', retryAfterMs: 6000 }],
    ['undeliverable (131026)', { status: 400, data: graph(131026) }, { kind: 'failed', code: '131026' }],
    ['marketing limit (131049)', { status: 400, data: graph(131049) }, { kind: 'failed', code: '131049' }],
    ['stopped marketing (131050)', { status: 400, data: graph(131050) }, { kind: 'opted_out', code: '131050' }],
    ['an expired token (190, HTTP 401)', { status: 401, data: graph(190) }, { kind: 'retry', code: '190' }],
    ['a Graph error with HTTP 200', { status: 200, data: graph(131047) }, { kind: 'failed', code: '131047' }],
    ['a Graph error in a 500', { status: 500, data: graph(131000) }, { kind: 'retry', code: '131000' }],
    ['a 500 without a Graph body', { status: 500, data: 'Internal Server Error' }, { kind: 'unknown' }],
    ['a 502 from a gateway', { status: 502, data: '' }, { kind: 'unknown' }],
    ['a 429 without a body', { status: 429, data: '' }, { kind: 'retry', code: 'http_429' }],
    [
      'a 429 with Retry-After',
      { status: 429, data: '', headers: { 'retry-after': '7' } },
      { kind: 'retry', code: 'http_429', retryAfterMs: 7000 },
    ],
    [
      'a Retry-After longer than the backoff',
      { status: 400, data: graph(130429), headers: { 'retry-after': '30' } },
      { kind: 'retry', code: '130429', retryAfterMs: 30000 },
    ],
    ['a 404 without a Graph body', { status: 404, data: 'Not Found' }, { kind: 'failed', code: 'http_404' }],
    ['a refused connection', { error: 'ECONNREFUSED' }, { kind: 'retry', code: 'ECONNREFUSED' }],
    ['an unknown host', { error: 'ENOTFOUND' }, { kind: 'retry', code: 'ENOTFOUND' }],
    ['a reset (from an adapter that cannot tell when)', { error: 'ECONNRESET' }, { kind: 'unknown' }],
    ['a broken pipe', { error: 'EPIPE' }, { kind: 'unknown' }],
    ['an invalid URL', { error: 'ERR_INVALID_URL' }, { kind: 'failed', code: 'ERR_INVALID_URL' }],
    ['no answer from an adapter that ignores the abort', 'hang', { kind: 'unknown' }],
  ])('%s', async (_label, answer, expected) => {
    const { provider } = scripted(answer);
    const outcome = await provider.sendTemplate(msg);
    expect(outcome).toMatchObject(expected);
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('reads a Graph code sent as a string', async () => {
    const { provider } = scripted({ status: 400, data: { error: { message: 'x', code: '131050' } } });
    expect(await provider.sendTemplate(msg)).toMatchObject({ kind: 'opted_out', code: '131050' });
  });

  it('describes a Graph error with its details and trace id, masking phone numbers', async () => {
    const data = {
      error: {
        message: '(#131026) Message Undeliverable.',
        code: 131026,
        error_data: { messaging_product: 'whatsapp', details: 'Recipient +919812345678 cannot be reached' },
        fbtrace_id: 'Az8or2',
      },
    };
    const { provider } = scripted({ status: 400, data });
    const outcome = await provider.sendTemplate(msg);
    expect(outcome).toEqual({
      kind: 'failed',
      code: '131026',
      message: '(#131026) Message Undeliverable. — Recipient +91*******678 cannot be reached (fbtrace_id Az8or2)',
    });
  });

  it('posts the template to the number, with the bearer token', async () => {
    const { provider, seen } = scripted({ status: 200, data: { messages: [{ id: 'wamid.X' }] } });
    await provider.sendTemplate(msg);
    expect(seen[0]?.url).toBe('https://graph.test/v24.0/106540352242922/messages');
    expect(seen[0]?.method).toBe('post');
    expect(seen[0]?.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(seen[0]?.data))).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+919812345678',
      type: 'template',
      biz_opaque_callback_data: 'msg_1',
      template: { name: 'cart_reminder_1', language: { code: 'en' }, components: msg.components },
    });
  });

  it.each<[string, Partial<OutgoingTemplate>, string]>([
    ['a number without +', { to: '919812345678' }, 'invalid_recipient'],
    ['a number with spaces', { to: '+91 98123 45678' }, 'invalid_recipient'],
    ['callback data over 512 characters', { callbackData: 'x'.repeat(513) }, 'invalid_callback_data'],
  ])('refuses %s without calling the provider', async (_label, change, code) => {
    const { provider, seen } = scripted();
    expect(await provider.sendTemplate({ ...msg, ...change })).toMatchObject({ kind: 'failed', code });
    expect(seen).toHaveLength(0);
  });
});

describe('sendText', () => {
  it('posts a text message', async () => {
    const { provider, seen } = scripted({ status: 200, data: { messages: [{ id: 'wamid.T' }] } });
    expect(await provider.sendText('+919812345678', 'Bye', 'msg_2')).toEqual({
      kind: 'accepted',
      providerMessageId: 'wamid.T',
    });
    expect(JSON.parse(String(seen[0]?.data))).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+919812345678',
      type: 'text',
      biz_opaque_callback_data: 'msg_2',
      text: { body: 'Bye' },
    });
  });

  it('refuses an empty or oversized text', async () => {
    const { provider, seen } = scripted();
    expect(await provider.sendText('+919812345678', '', 'm')).toMatchObject({ kind: 'failed', code: 'invalid_text' });
    expect(await provider.sendText('+919812345678', 'x'.repeat(4097), 'm')).toMatchObject({ kind: 'failed' });
    expect(seen).toHaveLength(0);
  });

  it('fails outside the service window', async () => {
    const { provider } = scripted({ status: 400, data: graph(131047) });
    expect(await provider.sendText('+919812345678', 'Bye', 'm')).toMatchObject({ kind: 'failed', code: '131047' });
  });
});

const tpl = (name: string) => ({
  id: name,
  name,
  language: 'en',
  status: 'APPROVED',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Hi' }],
});
const page = (names: string[], after?: string, next = true) => ({
  status: 200,
  data: {
    data: names.map(tpl),
    ...(after ? { paging: { cursors: { before: 'b', after }, ...(next ? { next: 'https://n' } : {}) } } : {}),
  },
});

describe('listTemplates', () => {
  it('follows the after cursor while there is a next page', async () => {
    const { provider, seen } = scripted(page(['a', 'b'], 'c1'), page(['c'], 'c2'), page(['d'], 'c3', false));
    expect((await provider.listTemplates()).map((t) => t.name)).toEqual(['a', 'b', 'c', 'd']);
    const urls = seen.map((c) => new URL(String(c.url)));
    expect(urls.map((u) => u.pathname)).toEqual(Array(3).fill('/v24.0/WABA1/message_templates'));
    expect(urls.map((u) => u.searchParams.get('after'))).toEqual([null, 'c1', 'c2']);
    expect(urls[0]?.searchParams.get('fields')).toBe('name,status,category,language,components');
    expect(urls[0]?.searchParams.get('limit')).toBe('100');
    expect(seen[0]?.method).toBe('get');
    expect(seen[0]?.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('stops on an empty page and on a cursor seen before', async () => {
    expect((await scripted(page(['a'], 'c1'), page([], 'c2')).provider.listTemplates()).length).toBe(1);
    const looping = scripted(page(['a'], 'c1'), page(['b'], 'c1'), page(['c'], 'c9'));
    expect((await looping.provider.listTemplates()).map((t) => t.name)).toEqual(['a', 'b']);
    expect(looping.seen).toHaveLength(2);
  });

  it('leaves out templates it cannot fill', async () => {
    const data = { data: [tpl('ok'), { ...tpl('video'), components: [{ type: 'HEADER', format: 'VIDEO' }] }, 'junk'] };
    expect((await scripted({ status: 200, data }).provider.listTemplates()).map((t) => t.name)).toEqual(['ok']);
  });

  it.each<[string, Answer, string, boolean]>([
    ['a management rate limit', { status: 400, data: graph(80008) }, '80008', true],
    ['an invalid token', { status: 401, data: graph(190) }, '190', true],
    ['a bad WABA id', { status: 400, data: graph(100) }, '100', false],
    ['a 503 without body', { status: 503, data: '' }, 'http_503', true],
    ['a 200 that is not a list', { status: 200, data: { nope: true } }, 'http_200', false],
    ['a network failure', { error: 'ECONNRESET' }, 'ECONNRESET', true],
  ])('throws a WhatsAppApiError on %s', async (_label, answer, code, retryable) => {
    const error = await scripted(answer)
      .provider.listTemplates()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ code, retryable });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });
});

describe('helpers', () => {
  it.each<[unknown, number | undefined]>([
    ['5', 5000],
    [' 12 ', 12000],
    ['0', 0],
    ['99999', 3_600_000],
    ['Thu, 01 Jan 1970 00:00:10 GMT', 5000],
    ['Thu, 01 Jan 1970 00:00:01 GMT', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
    [['5'], undefined],
  ])('parseRetryAfter(%j) → %j', (value, ms) => {
    expect(parseRetryAfter(value, 5000)).toBe(ms);
  });

  it('masks long digit runs', () => {
    expect(redact('to 919812345678 at port 8080')).toBe('to +91*******678 at port 8080');
  });

  it('reads the Cloud settings from the configuration, naming what is missing', () => {
    const env = {
      WHATSAPP_ACCESS_TOKEN: 't',
      WHATSAPP_PHONE_NUMBER_ID: 'p',
      WHATSAPP_WABA_ID: 'w',
      WHATSAPP_API_URL: 'http://127.0.0.1:8790',
    };
    expect(cloudProviderConfig(loadConfig(env).whatsapp)).toEqual({
      apiUrl: 'http://127.0.0.1:8790',
      apiVersion: 'v24.0',
      accessToken: 't',
      phoneNumberId: 'p',
      wabaId: 'w',
    });
    const missing = { ...env, WHATSAPP_WABA_ID: '' };
    expect(() => cloudProviderConfig(loadConfig(missing).whatsapp)).toThrow(ConfigError);
    expect(() => cloudProviderConfig(loadConfig(missing).whatsapp)).toThrow(/WHATSAPP_WABA_ID/);
  });
});
