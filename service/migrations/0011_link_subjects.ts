import { sql, type Kysely } from 'kysely';

/**
 * Restore tokens for every lane's subject (issue 10): `restore_tokens.subject_kind` says what a
 * token's `cart_key` column holds — a cart's key (`cart`, every token minted before), or the
 * subject of a browse (`product`: `<contact id>:<product id>`) or win-back (`winback`: the contact
 * id) journey, whose restore answers the products the journey offers, to be added to the
 * shopper's cart (links/restore-offer.ts). An order's link (payment recovery) gets no token: it
 * goes to the order's own pay page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE restore_tokens
    ADD COLUMN subject_kind VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'cart' COMMENT 'what cart_key holds: cart, product or winback' AFTER cart_key`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE restore_tokens DROP COLUMN subject_kind`.execute(db);
}
