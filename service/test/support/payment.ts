import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { linesJson } from './winback';

/** Facts for payment-recovery tests, written straight into the tables the store's events fill. */

export async function insertUtilityConsent(
  db: Db,
  contactId: number,
  phone: string,
  action: 'granted' | 'withdrawn',
  at: Date,
): Promise<void> {
  await sql`INSERT INTO consent_ledger (store_id, contact_id, phone, scope, action, source, text, text_version, occurred_at, recorded_at)
    VALUES (1, ${contactId}, ${phone}, 'utility', ${action}, 'checkout', 'Send me updates about my order on WhatsApp', 1, ${at}, ${at})`.execute(
    db,
  );
}

export interface PaymentOrderSeed {
  contactId: number | null;
  status: string;
  placedAt: Date;
  failedAt?: Date | null;
  paidAt?: Date | null;
  /** Default: the order's own pay page; null for none. */
  payUrl?: string | null;
}

let nextOrderId = 5000;

/** An order as the store reported it; returns its id. */
export async function insertPaymentOrder(db: Db, seed: PaymentOrderSeed): Promise<number> {
  const id = nextOrderId++;
  const payUrl =
    seed.payUrl === undefined
      ? `https://shop.example/checkout/order-pay/${id}/?pay_for_order=true&key=wc_order_${id}`
      : seed.payUrl;
  await sql`INSERT INTO orders (store_id, order_id, contact_id, status, currency, total, \`lines\`, pay_url, placed_at, failed_at, paid_at, created_at, updated_at)
    VALUES (1, ${id}, ${seed.contactId}, ${seed.status}, 'EUR', 2500, ${linesJson([{ product: 1, categories: [10] }])}, ${payUrl},
      ${seed.placedAt}, ${seed.failedAt ?? null}, ${seed.paidAt ?? null}, ${seed.placedAt}, ${seed.placedAt})`.execute(
    db,
  );
  return id;
}

/** Sets what the store reported about WooCommerce's own pending-order email. */
export async function setWcPendingOrderEmail(db: Db, on: boolean | null): Promise<void> {
  await db
    .updateTable('stores')
    .set({ wc_pending_order_email: on, profile_at: new Date() })
    .where('id', '=', 1)
    .execute();
}
