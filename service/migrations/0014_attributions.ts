import { sql, type Kysely } from 'kysely';

/**
 * Attributions (issue 11): per order, the message that earned it (engine/attribution.ts) —
 * `recovered` (a click within 7 days before the order was placed) or `influenced` (a delivery
 * within 3 days, no click) — with its lane, step and journey, the coupon the message carried
 * (null until messages carry coupons), and the amount net of refunds. An order no message earned
 * has no row. attribution/pass.ts recomputes rows from the facts whenever an order, a click or a
 * delivery changes, so a row never depends on the order the facts arrived in.
 *
 * The keys on `orders.updated_at` and `messages.updated_at` let the pass find what changed since
 * its watermark without scanning either table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE attributions (
    store_id INT UNSIGNED NOT NULL,
    order_id BIGINT UNSIGNED NOT NULL,
    kind ENUM('recovered', 'influenced') NOT NULL,
    message_id BIGINT UNSIGNED NOT NULL,
    lane VARCHAR(64) NOT NULL,
    step INT UNSIGNED NOT NULL,
    enrollment_id BIGINT UNSIGNED NOT NULL,
    coupon_code VARCHAR(64) NULL COMMENT 'the message''s own coupon, once messages carry one',
    touched_at DATETIME(3) NOT NULL COMMENT 'the click (recovered) or delivery (influenced) that won',
    amount BIGINT NOT NULL COMMENT 'minor units, net of refunds: 0 once refunded',
    currency CHAR(3) NULL,
    refunded TINYINT(1) NOT NULL DEFAULT 0,
    decided_at DATETIME(3) NOT NULL COMMENT 'when these values were last decided (unchanged by a pass that finds them the same)',
    PRIMARY KEY (store_id, order_id),
    KEY attributions_message (store_id, message_id),
    KEY attributions_lane (store_id, lane, kind)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
  await sql`ALTER TABLE orders ADD KEY orders_updated (store_id, updated_at)`.execute(db);
  await sql`ALTER TABLE messages ADD KEY messages_updated (store_id, updated_at)`.execute(db);
  await sql`ALTER TABLE clicks ADD KEY clicks_opened (store_id, last_opened_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE clicks DROP KEY clicks_opened`.execute(db);
  await sql`ALTER TABLE messages DROP KEY messages_updated`.execute(db);
  await sql`ALTER TABLE orders DROP KEY orders_updated`.execute(db);
  await sql`DROP TABLE attributions`.execute(db);
}
