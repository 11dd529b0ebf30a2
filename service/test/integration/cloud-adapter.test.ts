import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import axios from 'axios';
import express, { type Request, type Response } from 'express';
import { createCloudProvider, type CloudProviderConfig } from '../../src/whatsapp/cloud';
import type { OutgoingTemplate } from '../../src/whatsapp/provider';

/**
 * The Cloud API adapter over real HTTP, against a small server in this file that answers the way
 * Meta documents (handbook reference/whatsapp.md): what the adapter sends, and what each answer,
 * silence or broken connection becomes.
 */

const TOKEN = 'EAAG-integration-token';

interface Seen {
  method: string;
  path: string;
  query: Record<string, unknown>;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Script = (req: Request, res: Response) => void;

const seen: Seen[] = [];
const script: Script[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.all('/{*rest}', (req, res) => {
    seen.push({
      method: req.method,
      path: req.path,
      query: { ...req.query },
      authorization: req.get('authorization'),
      contentType: req.get('content-type'),
      body: req.body,
    });
    const next = script.shift();
    if (next) next(req, res);
    else res.status(500).send('no answer scripted');
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  script.length = 0;
});

function provider(overrides: Partial<CloudProviderConfig> = {}) {
  const config: CloudProviderConfig = {
    apiUrl: base,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    timeoutMs: 500,
    ...overrides,
  };
  // proxy: false so that a proxy set in the environment cannot stand between the test and its server.
  return createCloudProvider(config, axios.create({ proxy: false }));
}

const msg: OutgoingTemplate = {
  to: '+919812345678',
  template: 'cart_reminder_1',
  language: 'en',
  callbackData: 'msg_01HV',
  components: [
    { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/p.jpg' } }] },
    {
      type: 'body',
      parameters: [
        { type: 'text', text: 'Anna' },
        { type: 'currency', currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1299000 } },
      ],
    },
    { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'Ab3kQ9' }] },
    { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
  ],
};

const accepted: Script = (_req, res) => {
  res.json({
    messaging_product: 'whatsapp',
    contacts: [{ input: '+919812345678', wa_id: '919812345678' }],
    messages: [{ id: 'wamid.HBgLOTE5ODEyMzQ1Njc4FQIAERgSQjQ', message_status: 'accepted' }],
  });
};

const graphError =
  (status: number, code: number, message: string, details: string): Script =>
  (_req, res) => {
    res.status(status).json({
      error: {
        message,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details },
        fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      },
    });
  };

describe('sending a template', () => {
  it('posts exactly the Cloud API template message and returns the wamid', async () => {
    script.push(accepted);
    expect(await provider().sendTemplate(msg)).toEqual({
      kind: 'accepted',
      providerMessageId: 'wamid.HBgLOTE5ODEyMzQ1Njc4FQIAERgSQjQ',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/v24.0/106540352242922/messages',
        query: {},
        authorization: `Bearer ${TOKEN}`,
        contentType: expect.stringMatching(/^application\/json/),
        body: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: '+919812345678',
          type: 'template',
          biz_opaque_callback_data: 'msg_01HV',
          template: { name: 'cart_reminder_1', language: { code: 'en' }, components: msg.components },
        },
      },
    ]);
  });

  it('retries after a throughput error (130429), paced', async () => {
    script.push(graphError(429, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'));
    const outcome = await provider().sendTemplate(msg);
    expect(outcome).toMatchObject({ kind: 'retry', code: '130429' });
    expect(outcome.kind === 'retry' && outcome.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('fails an undeliverable message (131026)', async () => {
    script.push(graphError(400, 131026, '(#131026) Message Undeliverable.', 'Message Undeliverable.'));
    expect(await provider().sendTemplate(msg)).toEqual({
      kind: 'failed',
      code: '131026',
      message: '(#131026) Message Undeliverable. — Message Undeliverable. (fbtrace_id Az8or2yhqkZfEZ-_4Qn_Bam)',
    });
  });

  it('reports a user who stopped marketing messages (131050)', async () => {
    script.push(graphError(400, 131050, '(#131050) User has stopped marketing messages', 'Unable to deliver.'));
    expect(await provider().sendTemplate(msg)).toMatchObject({ kind: 'opted_out', code: '131050' });
  });

  it('retries after an expired token (190), which rejected the request unsent', async () => {
    script.push(graphError(401, 190, 'Error validating access token: Session has expired', 'expired'));
    const outcome = await provider().sendTemplate(msg);
    expect(outcome).toMatchObject({ kind: 'retry', code: '190' });
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('does not know whether a message went out when the answer never comes', async () => {
    script.push(() => undefined);
    const started = Date.now();
    const outcome = await provider({ timeoutMs: 300 }).sendTemplate(msg);
    expect(outcome).toEqual({ kind: 'unknown', message: 'timeout: no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(seen).toHaveLength(1);
  });

  it('does not know whether a message went out when the connection is reset after sending', async () => {
    script.push((req) => req.socket.destroy());
    expect(await provider().sendTemplate(msg)).toMatchObject({ kind: 'unknown' });
    expect(seen).toHaveLength(1);
  });

  it('does not know whether a message went out after a 5xx without a Graph error', async () => {
    script.push((_req, res) => void res.status(502).type('html').send('<html>Bad Gateway</html>'));
    expect(await provider().sendTemplate(msg)).toMatchObject({ kind: 'unknown' });
  });

  it('retries a 429 without a Graph error, honouring Retry-After', async () => {
    script.push((_req, res) => void res.status(429).set('Retry-After', '3').end());
    expect(await provider().sendTemplate(msg)).toEqual({
      kind: 'retry',
      code: 'http_429',
      message: 'HTTP 429 without a Graph error',
      retryAfterMs: 3000,
    });
  });

  it('reuses its connection for the next message', async () => {
    script.push(accepted, accepted);
    const p = provider();
    expect(await p.sendTemplate(msg)).toMatchObject({ kind: 'accepted' });
    expect(await p.sendTemplate(msg)).toMatchObject({ kind: 'accepted' });
    expect(seen).toHaveLength(2);
  });
});

describe('when nothing could be sent', () => {
  it('retries when the connection is refused', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await provider({ apiUrl: `http://127.0.0.1:${port}` }).sendTemplate(msg)).toMatchObject({
      kind: 'retry',
      code: 'ECONNREFUSED',
    });
  });

  it('retries when the TLS handshake never completes (nothing of the request left)', async () => {
    const sockets: Socket[] = [];
    const silent: TcpServer = createTcpServer((socket) => void sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const port = (silent.address() as AddressInfo).port;
      const outcome = await provider({ apiUrl: `https://127.0.0.1:${port}`, timeoutMs: 300 }).sendTemplate(msg);
      expect(outcome).toEqual({ kind: 'retry', code: 'timeout', message: 'no connection within 300 ms' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('sending a text', () => {
  it('posts a text message with the callback data', async () => {
    script.push(accepted);
    await provider().sendText('+919812345678', "You won't get any more messages from us on WhatsApp.", 'msg_02');
    expect(seen[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+919812345678',
      type: 'text',
      biz_opaque_callback_data: 'msg_02',
      text: { body: "You won't get any more messages from us on WhatsApp." },
    });
  });
});

describe('listing templates', () => {
  const template = (name: string, status = 'APPROVED') => ({
    id: `id_${name}`,
    name,
    language: 'en',
    status,
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hi {{1}}, your cart ({{2}}) is waiting' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Open', url: 'https://x/r/{{1}}' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
        ],
      },
    ],
  });

  it('pages through the templates with the after cursor', async () => {
    script.push(
      (_req, res) =>
        void res.json({
          data: [template('cart_reminder_1'), template('cart_reminder_2', 'PAUSED')],
          paging: { cursors: { before: 'QVFI1', after: 'QVFI2' }, next: `${base}/next` },
        }),
      (_req, res) =>
        void res.json({ data: [template('winback_1')], paging: { cursors: { before: 'QVFI3', after: 'QVFI4' } } }),
    );
    const templates = await provider().listTemplates();
    expect(templates.map((t) => [t.name, t.status])).toEqual([
      ['cart_reminder_1', 'APPROVED'],
      ['cart_reminder_2', 'PAUSED'],
      ['winback_1', 'APPROVED'],
    ]);
    expect(seen.map((s) => [s.method, s.path, s.authorization])).toEqual([
      ['GET', '/v24.0/102290129340398/message_templates', `Bearer ${TOKEN}`],
      ['GET', '/v24.0/102290129340398/message_templates', `Bearer ${TOKEN}`],
    ]);
    const fields = 'name,status,category,language,components';
    expect(seen.map((s) => s.query)).toEqual([
      { fields, limit: '100' },
      { fields, limit: '100', after: 'QVFI2' },
    ]);
  });
});
