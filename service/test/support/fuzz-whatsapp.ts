import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { Db } from '../../src/db/database';
import type { MessageState } from '../../src/db/schema';

/** Arbitraries for WhatsApp Cloud API webhook deliveries (handbook reference/whatsapp.md). */

export const APP_SECRET = 'fuzz-app-secret';
/** Numbers the store knows (consent given), as WhatsApp writes them: digits, no "+". */
export const KNOWN = ['919812345678', '919812345679', '14155550123'];
export const PROVIDER_IDS = ['wamid.A1', 'wamid.A2', 'wamid.A3', 'wamid.unknown'];

/** Unix seconds as Meta sends them: a string, within the last years (fixed, so runs repeat). */
const timestamp = fc.integer({ min: 1_700_000_000, max: 1_763_700_000 }).map(String);
const phone = fc.oneof(fc.constantFrom(...KNOWN), fc.stringMatching(/^[1-9]\d{9,12}$/));

export const statusItem = fc.record(
  {
    id: fc.constantFrom(...PROVIDER_IDS),
    status: fc.constantFrom('sent', 'delivered', 'read', 'failed', 'played'),
    timestamp,
    recipient_id: phone,
    biz_opaque_callback_data: fc.integer({ min: 2, max: 6 }).map((id) => `cartback:m:${id}`),
    errors: fc.constantFrom(
      [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }],
      [{ code: 132000, title: 'Number of parameters does not match the expected number of params' }],
      [{ code: 131026, title: 'Message undeliverable' }],
    ),
  },
  { requiredKeys: ['id', 'status', 'timestamp', 'recipient_id'] },
);

const text = fc.oneof(
  fc.constantFrom('STOP', 'stop', 'start', 'बंद करो', 'hello', 'Unsubscribe'),
  fc.string({ maxLength: 30 }),
);

export const messageItem = fc.oneof(
  fc.record({
    from: phone,
    id: fc.uuid().map((u) => `wamid.in.${u}`),
    timestamp,
    type: fc.constant('text'),
    text: fc.record({ body: text }),
  }),
  fc.record({
    from: phone,
    id: fc.uuid().map((u) => `wamid.in.${u}`),
    timestamp,
    type: fc.constant('button'),
    button: fc.record({ payload: fc.constantFrom('STOP', 'Stop promotions', 'Resume'), text: fc.constant('Stop') }),
    context: fc.record({ id: fc.constantFrom(...PROVIDER_IDS) }),
  }),
  fc.record({
    from: phone,
    id: fc.uuid().map((u) => `wamid.in.${u}`),
    timestamp,
    type: fc.constant('interactive'),
    interactive: fc.record({
      type: fc.constant('button_reply'),
      button_reply: fc.record({ id: fc.string(), title: fc.string() }),
    }),
  }),
  fc.record({
    from: phone,
    id: fc.uuid().map((u) => `wamid.in.${u}`),
    timestamp,
    type: fc.constantFrom('image', 'sticker', 'unsupported'),
  }),
);

const preference = fc.record({
  wa_id: phone,
  detail: fc.constant('User requested to stop marketing messages'),
  category: fc.constant('marketing_messages'),
  value: fc.constantFrom('stop', 'resume'),
  timestamp: timestamp.map(Number),
});

const templateChange = fc.record({
  field: fc.constant('message_template_status_update'),
  value: fc.record({
    event: fc.constantFrom('APPROVED', 'REJECTED', 'PAUSED'),
    message_template_id: fc.nat(),
    message_template_name: fc.constantFrom('cart_reminder', 'browse_nudge'),
    message_template_language: fc.constantFrom('en', 'hi'),
    reason: fc.constantFrom('NONE', 'INCORRECT_CATEGORY'),
  }),
});

const metadata = { display_phone_number: '15550000000', phone_number_id: '106540352242922' };

/** A `messages` change holding these statuses and messages. */
export const messagesChange = (statuses: unknown[], messages: unknown[]) => ({
  field: 'messages',
  value: { messaging_product: 'whatsapp', metadata, statuses, messages },
});

/** A valid delivery: one or two entries of messages, preference and template changes. */
export const delivery = fc
  .array(
    fc.oneof(
      fc
        .tuple(fc.array(statusItem, { maxLength: 3 }), fc.array(messageItem, { maxLength: 3 }))
        .map(([s, m]) => messagesChange(s, m)),
      fc
        .array(preference, { minLength: 1, maxLength: 2 })
        .map((p) => ({ field: 'user_preferences', value: { user_preferences: p } })),
      templateChange,
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((changes) => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes }] }));

/** `X-Hub-Signature-256` as Meta sends it: the hex HMAC of the raw body with the app secret. */
export function hubSignature(body: Buffer | string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A message in `state` with the provider's id, in an active journey of the contact behind `phone`. */
export async function seedMessage(
  db: Db,
  phone: string,
  providerMessageId: string,
  state: MessageState,
): Promise<number> {
  const contact = await db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  const now = new Date();
  const enrollment = await db
    .insertInto('enrollments')
    .values({
      store_id: 1,
      lane: 'abandoned_cart',
      contact_id: contact.id,
      subject_kind: 'cart',
      subject_id: `cart-${providerMessageId}`,
      episode_at: now,
      cell: 'treatment',
      state: 'active',
      anchor_at: now,
      next_step: 1,
      next_due_at: new Date(now.getTime() + 3_600_000),
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({
      store_id: 1,
      enrollment_id: Number(enrollment.insertId),
      step: 0,
      lane: 'abandoned_cart',
      category: 'marketing',
      contact_id: contact.id,
      phone,
      state,
      due_at: now,
      template: 'cart_reminder',
      language: 'en',
      payload: '[]',
      provider_message_id: providerMessageId,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  return Number(message.insertId);
}
