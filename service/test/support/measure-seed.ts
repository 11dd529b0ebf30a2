import type { Db } from '../../src/db/database';

/**
 * A small, hand-countable store for the dashboard tests, in the abandoned-cart lane (UTC store,
 * USD, as the test app's defaults are):
 *
 * - 40 treated carts (contacts 1–40, German numbers +49151000000NN), 30 held out (41–70); carts
 *   1–20 began 2026-11-10 09:00Z, the others 2026-11-11 09:00Z.
 * - Each treated cart has one message (step 0, `cart_reminder_1`, marketing): 4 failed (31–34,
 *   never sent); the other 36 were sent and delivered (1–30, 35–40); of them 20 read (1–20).
 *   Delivered ones' pricing: 1–28 billable marketing, 29–30 `billable: false`
 *   (`free_customer_service`), 35–40 none (the rate card's DE marketing rate applies).
 *   Each held-out cart has a `held_out` step (never a message sent).
 * - Clicks on messages 1–12. Carts 39–40 stopped because the contact opted out.
 * - Orders: treated contacts 1–10 paid $50.00 a day after their cart; order 10 was refunded $20.00
 *   of it. Attribution rows (as the pass would leave them): orders 1–8 recovered, 9–10 influenced
 *   ($50.00 and $30.00 net of the refund). Held-out contacts 41–43
 *   paid $40.00 a day after theirs (no attribution: no message).
 */
export const DAY1 = new Date('2026-11-10T09:00:00Z');
export const DAY2 = new Date('2026-11-11T09:00:00Z');
const HOUR = 3_600_000;

export const phoneOf = (i: number) => `+49151000000${String(i).padStart(2, '0')}`;

/**
 * Where the facts go: ids (contacts, journeys, messages; orders are 1000 + id) start after
 * `idBase`, and the two days can be moved (the end-to-end test seeds a running sidecar's
 * database, ten days back). The defaults are the integration tests' store.
 */
export interface SeedOptions {
  idBase?: number;
  day1?: Date;
  day2?: Date;
}

export async function seedMeasureStore(db: Db, options: SeedOptions = {}): Promise<void> {
  const base = options.idBase ?? 0;
  const day1 = options.day1 ?? DAY1;
  const day2 = options.day2 ?? DAY2;
  const at = (i: number) => (i <= 20 || (i > 40 && i <= 55) ? day1 : day2);
  for (let i = 1; i <= 70; i++) {
    const id = base + i;
    const began = at(i);
    await db
      .insertInto('contacts')
      .values({
        id,
        store_id: 1,
        phone: phoneOf(i),
        email: `shopper${i}@example.com`,
        first_name: `Shopper ${i}`,
        customer_id: null,
        locale: 'de',
        time_zone: null,
        country: 'DE',
        attributes_at: began,
        stamps: null,
        created_at: began,
        updated_at: began,
      })
      .execute();
    const treated = i <= 40;
    const optedOut = i === 39 || i === 40;
    await db
      .insertInto('enrollments')
      .values({
        id,
        store_id: 1,
        lane: 'abandoned_cart',
        contact_id: id,
        subject_kind: 'cart',
        subject_id: `cart-${id}`,
        episode_at: began,
        cell: treated ? 'treatment' : 'holdout',
        state: optedOut ? 'stopped' : 'completed',
        anchor_at: began,
        next_step: 1,
        next_due_at: null,
        stop_reason: optedOut ? 'opted_out' : null,
        created_at: began,
        updated_at: began,
      })
      .execute();
    await db
      .insertInto('enrollment_history')
      .values({
        store_id: 1,
        enrollment_id: id,
        at: new Date(began.getTime() + HOUR),
        kind: treated ? 'sent' : 'held_out',
        step: 0,
        reason: treated ? null : 'held_out',
        detail: null,
      })
      .execute();
    const failed = i >= 31 && i <= 34;
    const delivered = treated && !failed;
    const pricing = i <= 28 ? 'billable' : i <= 30 ? 'free' : null;
    await db
      .insertInto('messages')
      .values({
        id,
        store_id: 1,
        enrollment_id: id,
        step: 0,
        lane: 'abandoned_cart',
        category: 'marketing',
        contact_id: id,
        phone: phoneOf(i),
        state: !treated ? 'held_out' : failed ? 'failed' : i <= 20 ? 'read' : 'delivered',
        due_at: new Date(began.getTime() + HOUR),
        template: 'cart_reminder_1',
        language: 'de',
        payload: null,
        provider_message_id: treated && !failed ? `wamid.${id}` : null,
        error_code: failed ? '131026' : null,
        error_message: failed ? 'Message undeliverable' : null,
        attempted_at: treated ? new Date(began.getTime() + HOUR) : null,
        submitted_at: treated ? new Date(began.getTime() + HOUR) : null,
        sent_at: delivered ? new Date(began.getTime() + HOUR) : null,
        delivered_at: delivered ? new Date(began.getTime() + HOUR + 60_000) : null,
        read_at: delivered && i <= 20 ? new Date(began.getTime() + HOUR + 120_000) : null,
        failed_at: failed ? new Date(began.getTime() + HOUR) : null,
        lost_at: null,
        pricing_billable: delivered && pricing ? pricing === 'billable' : null,
        pricing_model: delivered && pricing ? 'pmp' : null,
        pricing_category: delivered && pricing ? 'marketing' : null,
        pricing_type: delivered && pricing ? (pricing === 'billable' ? 'regular' : 'free_customer_service') : null,
        created_at: new Date(began.getTime() + HOUR),
        updated_at: new Date(began.getTime() + HOUR),
      })
      .execute();
    if (i <= 12) {
      const clickedAt = new Date(began.getTime() + 2 * HOUR);
      await db
        .insertInto('links')
        .values({
          code: `code${id}`,
          store_id: 1,
          message_id: id,
          subject_kind: 'cart',
          subject_id: `cart-${id}`,
          contact_id: id,
          created_at: began,
          expires_at: new Date(began.getTime() + 7 * 24 * HOUR),
        })
        .execute();
      await db
        .insertInto('clicks')
        .values({
          store_id: 1,
          code: `code${id}`,
          message_id: id,
          contact_id: id,
          clicked_at: clickedAt,
          last_opened_at: clickedAt,
        })
        .execute();
    }
    const buys = i <= 10 || (i >= 41 && i <= 43);
    if (buys) {
      const placed = new Date(began.getTime() + 24 * HOUR);
      const total = i <= 10 ? 5000 : 4000;
      await db
        .insertInto('orders')
        .values({
          store_id: 1,
          order_id: 1000 + id,
          cart_key: `cart-${id}`,
          contact_id: id,
          customer_id: null,
          phone: phoneOf(i),
          email: `shopper${i}@example.com`,
          status: i === 10 ? 'refunded' : 'processing',
          currency: 'USD',
          lines: null,
          coupons: null,
          payment_method: 'card',
          pay_url: null,
          placed_at: placed,
          paid_at: placed,
          failed_at: null,
          refunded_at: i === 10 ? new Date(placed.getTime() + HOUR) : null,
          refunded_amount: i === 10 ? 2000 : null,
          state_at: placed,
          state_event_id: null,
          stamps: null,
          subtotal: total,
          tax: 0,
          shipping: 0,
          discount: 0,
          total,
          created_at: placed,
          updated_at: placed,
        })
        .execute();
      if (i <= 10) {
        await db
          .insertInto('attributions')
          .values({
            store_id: 1,
            order_id: 1000 + id,
            kind: i <= 8 ? 'recovered' : 'influenced',
            message_id: id,
            lane: 'abandoned_cart',
            step: 0,
            enrollment_id: id,
            coupon_code: null,
            touched_at: new Date(began.getTime() + 2 * HOUR),
            amount: i === 10 ? 3000 : 5000,
            currency: 'USD',
            refunded: i === 10,
            decided_at: placed,
          })
          .execute();
      }
    }
  }
  await db
    .insertInto('consent_ledger')
    .values({
      store_id: 1,
      contact_id: base + 1,
      event_id: null,
      phone: phoneOf(1),
      email: 'shopper1@example.com',
      scope: 'marketing',
      action: 'granted',
      source: 'checkout_block',
      text: 'Send me updates on WhatsApp. Reply STOP any time.',
      text_version: 1,
      occurred_at: new Date(day1.getTime() - HOUR),
      recorded_at: new Date(day1.getTime() - HOUR),
    })
    .execute();
}
