import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import { createLogger } from '../../src/logger';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { cartReminder } from './cart-reminder';
import { until } from './webhook-receiver';

/** Shared by the WhatsApp webhook tests (Cloud and 360dialog): a queued message, a status delivery, a dispatch run. */

/** An active enrollment with one queued message for the shopper, as the engine leaves them. */
export async function enrolWithQueuedMessage(
  db: Db,
  phone: string,
): Promise<{ enrollmentId: number; messageId: number }> {
  const contact = await db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  const now = new Date();
  const enrollment = await db
    .insertInto('enrollments')
    .values({
      store_id: 1,
      lane: 'abandoned_cart',
      contact_id: contact.id,
      subject_kind: 'cart',
      subject_id: `cart-${now.getTime()}-${randomUUID()}`,
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
  const request = cartReminder({ to: phone });
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
      state: 'queued',
      due_at: new Date(now.getTime() - 1000),
      template: request.template.name,
      language: 'en',
      payload: JSON.stringify(request.template.components),
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  return { enrollmentId: Number(enrollment.insertId), messageId: Number(message.insertId) };
}

/** A delivery in Meta's shape holding these statuses (timestamp and recipient filled in). */
export function statusDelivery(statuses: Array<Record<string, unknown>>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              statuses: statuses.map((status) => ({
                timestamp: '1763700000',
                recipient_id: '919812345678',
                ...status,
              })),
            },
          },
        ],
      },
    ],
  });
}

/** Runs a dispatcher through `provider` until the message reaches `state`. */
export async function dispatchUntil(db: Db, provider: WhatsAppProvider, messageId: number, state: string) {
  const dispatcher = new Dispatcher({ db, provider, logger: createLogger('silent'), idleMs: 20 });
  dispatcher.start();
  try {
    await until(async () => {
      const row = await db.selectFrom('messages').select('state').where('id', '=', messageId).executeTakeFirst();
      return row?.state === state;
    }, state);
  } finally {
    await dispatcher.stop();
  }
}
