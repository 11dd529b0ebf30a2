import { createHmac } from 'node:crypto';
import {
  fromUnixSeconds,
  parseWebhook,
  toE164,
  verifyChallenge,
  verifyHubSignature,
  type WebhookItem,
} from '../../../src/whatsapp/webhook';

const SECRET = 'app-secret';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const sign = (raw: Buffer, secret = SECRET) => 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');

describe('verifyHubSignature', () => {
  const good = sign(body);

  it('accepts the right signature, in either hex case', () => {
    expect(verifyHubSignature(SECRET, body, good)).toBe(true);
    expect(verifyHubSignature(SECRET, body, 'sha256=' + good.slice(7).toUpperCase())).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['another secret', sign(body, 'other')],
    ['another body', sign(Buffer.from('{}'))],
    ['no prefix', good.slice(7)],
    ['sha1 prefix', 'sha1=' + good.slice(7)],
    ['short', good.slice(0, -2)],
    ['long', good + '00'],
    ['not hex', 'sha256=' + 'z'.repeat(64)],
    ['two values', `${good},${good}`],
  ])('rejects a %s header', (_label, header) => {
    expect(verifyHubSignature(SECRET, body, header)).toBe(false);
  });

  it('rejects everything when no secret is configured', () => {
    expect(verifyHubSignature('', body, sign(body, ''))).toBe(false);
  });
});

describe('verifyChallenge', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '1158201444' };

  it('echoes the challenge when the token matches', () => {
    expect(verifyChallenge(query, 'tok')).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('reads a query parsed with dots as nesting', () => {
    expect(verifyChallenge({ hub: { mode: 'subscribe', verify_token: 'tok', challenge: 'abc' } }, 'tok')).toEqual({
      ok: true,
      challenge: 'abc',
    });
  });

  it.each([
    ['a wrong token', { ...query, 'hub.verify_token': 'nope' }, 'tok'],
    ['a token prefix', { ...query, 'hub.verify_token': 'to' }, 'tok'],
    ['another mode', { ...query, 'hub.mode': 'unsubscribe' }, 'tok'],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok' }, 'tok'],
    ['a challenge array', { ...query, 'hub.challenge': ['1', '2'] }, 'tok'],
    ['a challenge with markup', { ...query, 'hub.challenge': '<script>' }, 'tok'],
    ['no verify token configured', query, undefined],
    ['an empty verify token configured', { ...query, 'hub.verify_token': '' }, ''],
    ['no query', undefined, 'tok'],
    ['a string query', 'hub.mode=subscribe', 'tok'],
  ])('refuses %s', (_label, q, token) => {
    expect(verifyChallenge(q, token)).toEqual({ ok: false });
  });
});

describe('toE164 and fromUnixSeconds', () => {
  it.each([
    ['919812345678', '+919812345678'],
    ['+919812345678', '+919812345678'],
    ['0919812345678', undefined],
    ['91-98123', undefined],
    ['1234567890123456', undefined],
    ['', undefined],
    [919812345678, undefined],
  ])('toE164(%j) → %j', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([
    ['1763700000', '2025-11-21T04:40:00.000Z'],
    [1763700000, '2025-11-21T04:40:00.000Z'],
    ['17637e5', undefined],
    ['', undefined],
    [null, undefined],
    [-5, undefined],
  ])('fromUnixSeconds(%j) → %j', (raw, iso) => {
    expect(fromUnixSeconds(raw)?.toISOString()).toBe(iso);
  });
});

const envelope = (field: string, value: unknown) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'WABA', changes: [{ field, value }] }],
});
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const at = new Date(1763700000 * 1000);

describe('parseWebhook', () => {
  it('reads statuses, with callback data and errors', () => {
    const items = parseWebhook(
      envelope('messages', {
        messaging_product: 'whatsapp',
        metadata,
        statuses: [
          {
            id: 'wamid.A',
            status: 'delivered',
            timestamp: '1763700000',
            recipient_id: '919812345678',
            biz_opaque_callback_data: 'msg_1',
            pricing: { billable: true, pricing_model: 'PMP', category: 'marketing' },
            conversation: { id: 'ignored' },
          },
          {
            id: 'wamid.B',
            status: 'failed',
            timestamp: '1763700000',
            recipient_id: '919812345678',
            errors: [{ code: 131049, title: 'healthy ecosystem', message: 'x', error_data: { details: 'y' } }, 'junk'],
          },
        ],
      }),
    );
    expect(items).toEqual<WebhookItem[]>([
      {
        kind: 'status',
        providerMessageId: 'wamid.A',
        status: 'delivered',
        at,
        recipient: '+919812345678',
        callbackData: 'msg_1',
        pricing: { billable: true, model: 'pmp', category: 'marketing', type: null },
      },
      {
        kind: 'status',
        providerMessageId: 'wamid.B',
        status: 'failed',
        at,
        recipient: '+919812345678',
        errors: [{ code: 131049, title: 'healthy ecosystem' }],
      },
    ]);
  });

  it('reads inbound text, quick replies, interactive replies and other messages', () => {
    const common = { from: '919812345678', timestamp: '1763700000' };
    const items = parseWebhook(
      envelope('messages', {
        metadata,
        contacts: [{ profile: { name: 'Anna' }, wa_id: '919812345678' }],
        messages: [
          { ...common, id: 'wamid.1', type: 'text', text: { body: 'STOP' } },
          {
            ...common,
            id: 'wamid.2',
            type: 'button',
            button: { payload: 'STOP', text: 'Stop promotions' },
            context: { from: '15550783881', id: 'wamid.T' },
          },
          { ...common, id: 'wamid.3', type: 'button', button: { payload: 'X', text: 'X' } },
          {
            ...common,
            id: 'wamid.4',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'help', title: 'Talk to us' } },
          },
          { ...common, id: 'wamid.5', type: 'image', image: { id: 'media' } },
        ],
      }),
    );
    const from = '+919812345678';
    expect(items).toEqual<WebhookItem[]>([
      { kind: 'inbound_text', from, messageId: 'wamid.1', at, text: 'STOP' },
      {
        kind: 'quick_reply',
        from,
        messageId: 'wamid.2',
        at,
        payload: 'STOP',
        text: 'Stop promotions',
        contextMessageId: 'wamid.T',
      },
      { kind: 'quick_reply', from, messageId: 'wamid.3', at, payload: 'X', text: 'X' },
      { kind: 'interactive_reply', from, messageId: 'wamid.4', at, id: 'help', title: 'Talk to us' },
      { kind: 'inbound_other', from, messageId: 'wamid.5', at, type: 'image' },
    ]);
  });

  it('reads in-app marketing preferences (timestamps as numbers)', () => {
    const items = parseWebhook(
      envelope('user_preferences', {
        metadata,
        user_preferences: [
          { wa_id: '919812345678', category: 'marketing_messages', value: 'stop', timestamp: 1763700000 },
          { wa_id: '919812345678', category: 'marketing_messages', value: 'resume', timestamp: '1763700000' },
          { wa_id: '919812345678', category: 'something_else', value: 'stop', timestamp: 1763700000 },
          { wa_id: '919812345678', category: 'marketing_messages', value: 'pause', timestamp: 1763700000 },
        ],
      }),
    );
    expect(items).toEqual<WebhookItem[]>([
      { kind: 'preference', from: '+919812345678', at, value: 'stop' },
      { kind: 'preference', from: '+919812345678', at, value: 'resume' },
    ]);
  });

  it('reads template status changes', () => {
    expect(
      parseWebhook(
        envelope('message_template_status_update', {
          event: 'PAUSED',
          message_template_id: 123,
          message_template_name: 'cart_reminder_1',
          message_template_language: 'en',
          reason: 'LOW_QUALITY',
        }),
      ),
    ).toEqual<WebhookItem[]>([
      { kind: 'template_status', name: 'cart_reminder_1', language: 'en', status: 'PAUSED', reason: 'LOW_QUALITY' },
    ]);
    expect(
      parseWebhook(envelope('message_template_status_update', { event: 'approved', message_template_name: 'x' })),
    ).toEqual<WebhookItem[]>([{ kind: 'template_status', name: 'x', status: 'APPROVED' }]);
  });

  it('reads template category changes and the number quality', () => {
    expect(
      parseWebhook(
        envelope('template_category_update', {
          message_template_id: 123,
          message_template_name: 'cart_reminder_1',
          message_template_language: 'en',
          previous_category: 'UTILITY',
          new_category: 'MARKETING',
        }),
      ),
    ).toEqual<WebhookItem[]>([
      {
        kind: 'template_category',
        name: 'cart_reminder_1',
        language: 'en',
        category: 'MARKETING',
        previous: 'UTILITY',
      },
    ]);
    expect(
      parseWebhook(
        envelope('phone_number_quality_update', {
          display_phone_number: '15550001234',
          event: 'flagged',
          current_limit: 'TIER_1K',
        }),
      ),
    ).toEqual<WebhookItem[]>([{ kind: 'number_quality', event: 'FLAGGED', currentLimit: 'TIER_1K' }]);
    expect(parseWebhook(envelope('template_category_update', { message_template_name: 'x' }))).toEqual([]);
    expect(parseWebhook(envelope('phone_number_quality_update', { current_limit: 'TIER_1K' }))).toEqual([]);
  });

  it('reads every entry and change of a batch, skipping unknown fields', () => {
    const status = { id: 'wamid.A', status: 'sent', timestamp: '1763700000', recipient_id: '919812345678' };
    const items = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] },
        { id: '2', changes: [{ field: 'messages', value: { statuses: [status, status] } }] },
        { id: '3', changes: [{ field: 'messages', value: { statuses: [{ ...status, id: 'wamid.B' }] } }] },
      ],
    });
    expect(items.map((i) => (i.kind === 'status' ? i.providerMessageId : i.kind))).toEqual([
      'wamid.A',
      'wamid.A',
      'wamid.B',
    ]);
  });

  const good = { id: 'wamid.A', status: 'read', timestamp: '1763700000', recipient_id: '919812345678' };
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'hello'],
    ['an array', []],
    ['a number', 42],
    ['another object kind', { object: 'page', entry: [] }],
    ['no entry', { object: 'whatsapp_business_account' }],
    ['entry not an array', { object: 'whatsapp_business_account', entry: {} }],
    ['changes not an array', { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }],
    ['a change without value', { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages' }] }] }],
    ['statuses not an array', envelope('messages', { statuses: { 0: good } })],
    ['a status without id', envelope('messages', { statuses: [{ ...good, id: undefined }] })],
    ['an unknown status', envelope('messages', { statuses: [{ ...good, status: 'deleted' }] })],
    ['a bad timestamp', envelope('messages', { statuses: [{ ...good, timestamp: 'yesterday' }] })],
    ['a bad recipient', envelope('messages', { statuses: [{ ...good, recipient_id: 'abc' }] })],
    [
      'a text without body',
      envelope('messages', { messages: [{ from: '91981234567', id: 'w', timestamp: '1', type: 'text' }] }),
    ],
    [
      'a message without from',
      envelope('messages', { messages: [{ id: 'w', timestamp: '1', type: 'text', text: { body: 'x' } }] }),
    ],
    ['a message without type', envelope('messages', { messages: [{ from: '91981234567', id: 'w', timestamp: '1' }] })],
    [
      'a button without payload',
      envelope('messages', {
        messages: [{ from: '91981234567', id: 'w', timestamp: '1', type: 'button', button: {} }],
      }),
    ],
    [
      'an interactive without reply',
      envelope('messages', {
        messages: [
          { from: '91981234567', id: 'w', timestamp: '1', type: 'interactive', interactive: { type: 'nfm_reply' } },
        ],
      }),
    ],
    ['a template update without name', envelope('message_template_status_update', { event: 'APPROVED' })],
  ])('returns nothing, without throwing, for %s', (_label, input) => {
    expect(parseWebhook(input)).toEqual([]);
  });

  it('keeps the good items next to malformed ones', () => {
    const items = parseWebhook(envelope('messages', { statuses: [null, 7, { id: 'x' }, good] }));
    expect(items).toHaveLength(1);
  });
});
