import { sql, type Kysely } from 'kysely';

/**
 * What a shopper typed at checkout, kept with their cart so that a restore link can fill the
 * checkout in again: the contact (names, phone, email, country) and the billing and shipping
 * addresses, as JSON with a stamp per part (ingest/checkout-details.ts). Erased with the cart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE carts
    ADD COLUMN checkout_details TEXT NULL COMMENT 'JSON: contact, billing, shipping as typed at checkout, each stamped'
    AFTER contact_event_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE carts DROP COLUMN checkout_details`.execute(db);
}
