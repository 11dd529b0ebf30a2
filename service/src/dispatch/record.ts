import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/database';
import type { EnrollmentHistoryTable } from '../db/schema';
import { withTransaction } from '../db/transaction';
import { recordConsent } from '../consent/ledger';
import type { ClaimedMessage } from './sql';
import type { OutcomeWrite } from './outcome';

/**
 * Records the provider's answers for a round of claimed messages, in one transaction (one UPDATE
 * per message, one INSERT for the whole round's history). A status webhook may already have
 * moved a message on (the provider can report `sent` before we get here): its state is then left
 * as the webhook set it, but the provider's message id and the times are still recorded. An
 * answer that stops its journey (a send refused for its template) stops the enrollment if it is
 * still active, with a history entry of its own.
 */
export async function recordOutcomes(
  db: Db,
  answers: ReadonlyArray<{ message: ClaimedMessage; write: OutcomeWrite }>,
  now: Date,
): Promise<void> {
  if (answers.length === 0) return;
  await withTransaction(db, async (trx) => {
    for (const { message, write } of answers) {
      await trx
        .updateTable('messages')
        .set({
          state: sql`IF(state = 'submitting', ${write.state}, state)`,
          ...(write.providerMessageId ? { provider_message_id: write.providerMessageId, submitted_at: now } : {}),
          ...(write.dueAt ? { due_at: write.dueAt } : {}),
          ...(write.errorCode !== undefined ? { error_code: write.errorCode } : {}),
          ...(write.errorMessage !== undefined ? { error_message: write.errorMessage.slice(0, 500) } : {}),
          ...(write.state === 'failed' ? { failed_at: now } : {}),
          updated_at: now,
        })
        .where('id', '=', message.id)
        .execute();
      if (write.withdraw) {
        await recordConsent(trx, {
          action: 'withdrawn',
          storeId: message.store_id,
          contactId: message.contact_id,
          phone: message.phone,
          scopes: write.withdraw,
          source: 'whatsapp_provider',
          text: 'WhatsApp reported that this person stopped marketing messages from the business',
          at: now,
        });
      }
    }
    const stopped: Array<Insertable<EnrollmentHistoryTable>> = [];
    for (const { message, write } of answers) {
      if (!write.stopJourney) continue;
      const result = await trx
        .updateTable('enrollments')
        .set({ state: 'stopped', stop_reason: write.stopJourney, next_due_at: null, updated_at: now })
        .where('id', '=', message.enrollment_id)
        .where('state', '=', 'active')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
      stopped.push({
        store_id: message.store_id,
        enrollment_id: message.enrollment_id,
        at: now,
        kind: 'stopped',
        step: null,
        reason: write.stopJourney,
        detail: `WhatsApp refused step ${message.step + 1} (${write.errorCode ?? 'error'}); later steps would fail the same way`,
      });
    }
    await trx
      .insertInto('enrollment_history')
      .values([
        ...answers.map(({ message, write }) => ({
          store_id: message.store_id,
          enrollment_id: message.enrollment_id,
          at: now,
          kind: write.history.kind,
          step: message.step,
          reason: write.history.reason,
          detail: write.history.detail,
        })),
        ...stopped,
      ])
      .execute();
  });
}
