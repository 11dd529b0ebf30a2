import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import type { Subject } from './subject';

/**
 * Strips the personal data from the rows kept for measurement, leaving what reports need:
 *
 * - orders keep their number, status, money, lines (products and prices, nothing personal),
 *   coupons, payment method and times, for revenue reporting; phone, email, WordPress customer
 *   id, cart key (a browsing-session key) and pay link (it opens the person's order) go;
 * - messages keep lane, step, category, state, template and times, for delivery reporting; the
 *   phone (blanked: the column is required), the rendered content (it names the shopper and
 *   carries their link), WhatsApp's message id (it encodes the recipient's number) and the
 *   provider's error text go; our own skip reasons stay;
 * - journeys keep lane, cell, state, times and history, for the holdout comparison; a cart
 *   journey's subject (the cart key) becomes `erased:<id>`, and a history detail quoting the
 *   phone or email (a provider's error text) is cleared;
 * - coupons (recovery/step-coupon.ts) keep their code, worth and redemption, for the budget and
 *   attribution; the email they were restricted to goes (the store's own copy of the coupon is
 *   WooCommerce's to erase).
 *
 * The kept rows still share the contact's internal number, which no longer leads anywhere once the
 * contact row is deleted, so aggregate reports (conversions per cell) stay right. Returns how
 * many orders and messages were kept.
 */
export async function anonymiseKept(
  trx: Trx,
  storeId: number,
  s: Subject,
  now: Date,
): Promise<{ orders: number; messages: number }> {
  if (s.orderIds.length) {
    await trx
      .updateTable('orders')
      .set({ phone: null, email: null, customer_id: null, cart_key: null, pay_url: null, updated_at: now })
      .where('store_id', '=', storeId)
      .where('order_id', 'in', s.orderIds)
      .execute();
  }
  if (s.messageIds.length) {
    await trx
      .updateTable('messages')
      .set({
        phone: '',
        payload: null,
        provider_message_id: null,
        error_message: sql`IF(state IN ('skipped', 'held_out'), error_message, NULL)`,
        updated_at: now,
      })
      .where('store_id', '=', storeId)
      .where('id', 'in', s.messageIds)
      .execute();
  }
  if (s.contactIds.length) {
    // Provider error text in the history (failed, retried, unknown sends) may quote the number.
    const mentions = [...s.phones, ...s.phones.map((p) => p.replace(/^\+/, '')), ...s.emails].map(
      (needle) => sql<boolean>`INSTR(detail, ${needle}) > 0`,
    );
    if (mentions.length) {
      await trx
        .updateTable('enrollment_history')
        .set({ detail: null })
        .where('store_id', '=', storeId)
        .where('enrollment_id', 'in', (eb) =>
          eb.selectFrom('enrollments').select('id').where('contact_id', 'in', s.contactIds),
        )
        .where(sql<boolean>`(${sql.join(mentions, sql` OR `)})`)
        .execute();
    }
    await trx
      .updateTable('coupons')
      .set({ email: null, updated_at: now })
      .where('store_id', '=', storeId)
      .where('email', 'is not', null)
      .where('enrollment_id', 'in', (eb) =>
        eb.selectFrom('enrollments').select('id').where('contact_id', 'in', s.contactIds),
      )
      .execute();
    await trx
      .updateTable('enrollments')
      .set({ subject_id: sql`CONCAT('erased:', id)` })
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', s.contactIds)
      .where('subject_kind', '=', 'cart')
      .execute();
  }
  return { orders: s.orderIds.length, messages: s.messageIds.length };
}
