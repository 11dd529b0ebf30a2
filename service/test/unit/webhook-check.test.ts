import { partitionItems, statusProblem } from '../../src/webhooks/check';
import type { WebhookItem } from '../../src/whatsapp/webhook';

const now = Date.UTC(2026, 11, 2);
const status = (over: Partial<Extract<WebhookItem, { kind: 'status' }>> = {}): WebhookItem => ({
  kind: 'status',
  providerMessageId: 'wamid.HBgLOTE5ODEyMzQ1Njc4FQIAERgSQzY=',
  status: 'delivered',
  at: new Date(now - 60_000),
  recipient: '+919812345678',
  ...over,
});

describe('statusProblem', () => {
  it('takes a status as WhatsApp sends it', () => {
    expect(statusProblem(status(), now)).toBeNull();
    expect(statusProblem(status({ errors: [{ code: 131049, title: 'x' }] }), now)).toBeNull();
  });

  it.each([
    ['an id outside ASCII', status({ providerMessageId: 'wamid.Ω' }), 'message_id'],
    ['an id with a space', status({ providerMessageId: 'wamid. x' }), 'message_id'],
    ['an id longer than 128', status({ providerMessageId: `wamid.${'x'.repeat(123)}` }), 'message_id'],
    ['a time in 1999', status({ at: new Date(Date.UTC(1999, 11, 31)) }), 'timestamp'],
    ['a time two days ahead', status({ at: new Date(now + 2 * 86_400_000) }), 'timestamp'],
    ['a huge error code', status({ errors: [{ code: 1e20, title: 'x' }] }), 'error_code'],
    ['a fractional error code', status({ errors: [{ code: 1.5, title: 'x' }] }), 'error_code'],
  ])('skips %s', (_name, item, reason) => {
    expect(statusProblem(item, now)).toBe(reason);
  });

  it('leaves other kinds alone, and partitions a delivery keeping its order', () => {
    const text: WebhookItem = {
      kind: 'inbound_text',
      from: '+919812345678',
      messageId: 'wamid.Ω',
      at: new Date(0),
      text: 'hi',
    };
    const bad = status({ providerMessageId: 'wamid.Ω' });
    const good = status();
    expect(partitionItems([good, bad, text], now)).toEqual({
      apply: [good, text],
      skipped: [{ kind: 'status', reason: 'message_id' }],
    });
  });
});
