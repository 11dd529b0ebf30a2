import type { Selectable } from 'kysely';
import type { Trx } from '../db/database';
import type { EnrollmentsTable } from '../db/schema';
import type { StepMove } from './journey';

/**
 * The writes of one step (the SQL edge of the stepper): the message row that records it, with
 * its tracked link when it is queued to send, the enrollment's next move and a history entry.
 */

export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;

export interface StepMessage {
  state: 'queued' | 'held_out' | 'skipped';
  reason: string | null;
  contactId: number;
  phone: string;
  category: 'marketing' | 'utility';
  template: string;
  language: string;
  payload: string | null;
  /** The tracked link's code, for a message queued to send. */
  linkCode: string | null;
}

export async function insertStepMessage(
  trx: Trx,
  e: Selectable<EnrollmentsTable>,
  message: StepMessage,
  now: Date,
): Promise<number> {
  const inserted = await trx
    .insertInto('messages')
    .values({
      store_id: e.store_id,
      enrollment_id: e.id,
      step: e.next_step,
      lane: e.lane,
      category: message.category,
      contact_id: message.contactId,
      phone: message.phone,
      state: message.state,
      due_at: now,
      template: message.template,
      language: message.language,
      payload: message.payload,
      error_message: message.reason,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  const messageId = Number(inserted.insertId);
  if (!message.linkCode) return messageId;
  await trx
    .insertInto('links')
    .values({
      code: message.linkCode,
      store_id: e.store_id,
      message_id: messageId,
      subject_kind: e.subject_kind,
      subject_id: e.subject_id,
      contact_id: message.contactId,
      created_at: now,
      expires_at: new Date(now.getTime() + LINK_TTL_MS),
    })
    .execute();
  return messageId;
}

export async function updateEnrollment(
  trx: Trx,
  e: Selectable<EnrollmentsTable>,
  next: StepMove['enrollment'],
  now: Date,
  anchorAt?: Date,
): Promise<void> {
  await trx
    .updateTable('enrollments')
    .set(
      next.state === 'active'
        ? {
            next_step: next.nextStep,
            next_due_at: next.nextDueAt,
            updated_at: now,
            ...(anchorAt ? { anchor_at: anchorAt } : {}),
          }
        : next.state === 'completed'
          ? { state: 'completed', next_due_at: null, updated_at: now }
          : { state: 'stopped', stop_reason: next.reason, next_due_at: null, updated_at: now },
    )
    .where('id', '=', e.id)
    .execute();
}

export async function history(
  trx: Trx,
  e: Selectable<EnrollmentsTable>,
  now: Date,
  kind: string,
  reason: string | null,
  detail: string | null,
): Promise<void> {
  await trx
    .insertInto('enrollment_history')
    .values({ store_id: e.store_id, enrollment_id: e.id, at: now, kind, step: e.next_step, reason, detail })
    .execute();
}
