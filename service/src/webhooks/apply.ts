import type { ConsentScope } from '@cartback/shared';
import { sql } from 'kysely';
import type { Trx } from '../db/database';
import { recordConsent } from '../consent/ledger';
import { messageIdFromCallback } from '../dispatch/dispatcher';
import { stopActiveJourneys } from '../recovery/stop';
import { refusedForTemplate } from '../whatsapp/meta-errors';
import type { WebhookItem } from '../whatsapp/webhook';
import { advanceState, timeColumn } from './status';

type StatusItem = Extract<WebhookItem, { kind: 'status' }>;

/**
 * Applies one status to its message, found by the provider's id or, for a message whose send
 * answer was lost (`unknown`, or `lost` once the reconcile window ran out), by the callback data
 * it carried. Never moves a state backwards;
 * keeps the earliest time of each status. Returns whether anything changed.
 */
export async function applyStatus(trx: Trx, item: StatusItem, now: Date): Promise<boolean> {
  const byCallback = messageIdFromCallback(item.callbackData);
  const message = await trx
    .selectFrom('messages')
    .select(['id', 'store_id', 'enrollment_id', 'step', 'state', 'provider_message_id'])
    .where((eb) =>
      byCallback !== null
        ? eb.or([eb('provider_message_id', '=', item.providerMessageId), eb('id', '=', byCallback)])
        : eb('provider_message_id', '=', item.providerMessageId),
    )
    .forUpdate()
    .executeTakeFirst();
  if (!message) return false;
  const next = advanceState(message.state, item.status);
  const column = timeColumn(item.status);
  const error = item.errors?.[0];
  await trx
    .updateTable('messages')
    .set({
      ...(next ? { state: next } : {}),
      provider_message_id: message.provider_message_id ?? item.providerMessageId,
      [column]: sql`COALESCE(${sql.ref(column)}, ${item.at})`,
      ...(next === 'failed' && error
        ? { error_code: String(error.code), error_message: error.title.slice(0, 500) }
        : {}),
      // What Meta charged (measure/rate-card.ts): the newest status that says wins.
      ...(item.pricing
        ? {
            pricing_billable: item.pricing.billable,
            pricing_model: item.pricing.model,
            pricing_category: item.pricing.category,
            pricing_type: item.pricing.type,
          }
        : {}),
      updated_at: now,
    })
    .where('id', '=', message.id)
    .execute();
  // Refused for its template or parameters after all: later steps would fail the same way.
  const rejected = next === 'failed' && error !== undefined && refusedForTemplate(error.code);
  const unsettled = message.state === 'unknown' || message.state === 'lost';
  if (next && (next === 'failed' || unsettled)) {
    await trx
      .insertInto('enrollment_history')
      .values({
        store_id: message.store_id,
        enrollment_id: message.enrollment_id,
        at: now,
        kind: next === 'failed' ? 'failed' : 'reconciled',
        step: message.step,
        reason: rejected
          ? 'template_rejected'
          : next === 'failed' && error?.code === 131049
            ? 'provider_marketing_limit'
            : null,
        detail:
          next === 'failed'
            ? `${error?.code ?? ''}: ${error?.title ?? 'failed'}${message.state === 'lost' ? ' (came after the send was marked lost)' : ''}`
            : message.state === 'lost'
              ? `status ${item.status} came after the send was marked lost: it did reach WhatsApp`
              : `status ${item.status} settled an unknown send`,
      })
      .execute();
  }
  if (rejected) await stopRejectedJourney(trx, message, error.code, now);
  return next !== null;
}

/** Stops the message's journey, if still active, after WhatsApp refused its template. */
async function stopRejectedJourney(
  trx: Trx,
  message: { store_id: number; enrollment_id: number; step: number },
  code: number,
  now: Date,
): Promise<void> {
  const result = await trx
    .updateTable('enrollments')
    .set({ state: 'stopped', stop_reason: 'template_rejected', next_due_at: null, updated_at: now })
    .where('id', '=', message.enrollment_id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return;
  await trx
    .insertInto('enrollment_history')
    .values({
      store_id: message.store_id,
      enrollment_id: message.enrollment_id,
      at: now,
      kind: 'stopped',
      step: null,
      reason: 'template_rejected',
      detail: `WhatsApp refused step ${message.step + 1} (${code}); later steps would fail the same way`,
    })
    .execute();
}

function contactByPhone(trx: Trx, storeId: number, phone: string) {
  return trx
    .selectFrom('contacts')
    .select(['id', 'locale'])
    .where('store_id', '=', storeId)
    .where('phone', '=', phone)
    .executeTakeFirst();
}

/**
 * A shopper opted out from WhatsApp itself (a STOP reply, the opt-out button, the app's own
 * "stop" preference): their consent is withdrawn for `scopes` and every active journey of theirs
 * that needs it stops at once. Returns the contact, or null for a number the store does not know.
 */
export async function optOut(
  trx: Trx,
  entry: { storeId: number; phone: string; scopes: readonly ConsentScope[]; source: string; text: string; at: Date },
): Promise<{ contactId: number; locale: string | null } | null> {
  const contact = await contactByPhone(trx, entry.storeId, entry.phone);
  if (!contact) return null;
  await recordConsent(trx, { ...entry, action: 'withdrawn', contactId: contact.id });
  await stopActiveJourneys(trx, {
    storeId: entry.storeId,
    contactIds: [contact.id],
    reason: 'opted_out',
    detail: entry.source,
    at: entry.at,
  });
  // Every queued message in a withdrawn scope, not only those of active journeys: a journey
  // whose last step is queued is already `completed`, and that message must not go either.
  await trx
    .updateTable('messages')
    .set({ state: 'skipped', error_message: 'opted out before sending', updated_at: entry.at })
    .where('store_id', '=', entry.storeId)
    .where('contact_id', '=', contact.id)
    .where('category', 'in', [...entry.scopes])
    .where('state', '=', 'queued')
    .execute();
  return { contactId: contact.id, locale: contact.locale };
}

/** The shopper replied START: consent for both scopes again, from this chat. */
export async function optIn(
  trx: Trx,
  entry: { storeId: number; phone: string; text: string; at: Date },
): Promise<{ contactId: number; locale: string | null } | null> {
  const contact = await contactByPhone(trx, entry.storeId, entry.phone);
  if (!contact) return null;
  await recordConsent(trx, {
    ...entry,
    action: 'granted',
    contactId: contact.id,
    scopes: ['marketing', 'utility'],
    source: 'whatsapp_start',
  });
  return { contactId: contact.id, locale: contact.locale };
}
