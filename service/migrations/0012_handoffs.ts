import { sql, type Kysely } from 'kysely';

/**
 * Handoffs (issue 10): a shopper asked for a person — the payment_recovery help button (payload
 * `HELP`) or a typed request such as "agent" (whatsapp/handoff-words.ts). While a handoff is open
 * (`closed_at` IS NULL) no automation messages the contact (the send decision's `handoff_active`);
 * a person closes it from the inbox (issue 13).
 *
 * `wamid` is the inbound message's WhatsApp id, unique: a delivery WhatsApp retries records the
 * request once. `text` is what the shopper wrote or the button's label (personal data: erased
 * with the contact).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE handoffs (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    requested_at DATETIME(3) NOT NULL,
    source ENUM('button', 'text') NOT NULL COMMENT 'the HELP quick reply, or a typed request',
    wamid VARCHAR(128) CHARACTER SET ascii NOT NULL COMMENT 'the inbound message: one handoff per message',
    text TEXT NOT NULL,
    closed_at DATETIME(3) NULL COMMENT 'null while a person has not closed it (open: automation paused)',
    closed_by VARCHAR(128) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY handoffs_wamid (store_id, wamid),
    KEY handoffs_open (store_id, contact_id, closed_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE handoffs`.execute(db);
}
