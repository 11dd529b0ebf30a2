import { sql, type Kysely } from 'kysely';

/**
 * Monitors (issue 12, part 4; monitors/): `monitor_events` records each firing — which monitor,
 * what it paused (`target`: a lane, or `all` for the number's quality), the figures and a
 * plain-words detail — and its resumption (who and when). While a firing is open (`open_target`
 * holds its target; NULL once resumed) its target is paused; the unique key makes a second
 * firing for a target already paused impossible, however many passes run at once.
 *
 * `monitor_signals` holds the WhatsApp webhooks the pass acts on: a template's status
 * (message_template_status_update) or category (template_category_update), and the number's
 * quality (phone_number_quality_update); `handled_at` is set once a pass has weighed it.
 *
 * Two keys on `messages` let the pass count a lane's recent sends (by `submitted_at`) and
 * attempts (by `attempted_at`) every 5 minutes without scanning the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE monitor_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    monitor VARCHAR(32) CHARACTER SET ascii NOT NULL,
    target VARCHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'a lane, or all',
    reason VARCHAR(48) CHARACTER SET ascii NOT NULL,
    figures TEXT NOT NULL COMMENT 'JSON: the figures the verdict was made on',
    detail TEXT NOT NULL,
    fired_at DATETIME(3) NOT NULL,
    open_target VARCHAR(32) CHARACTER SET ascii NULL COMMENT 'target while paused; NULL once resumed',
    resumed_at DATETIME(3) NULL,
    resumed_by VARCHAR(128) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY monitor_events_open (store_id, open_target),
    KEY monitor_events_fired (store_id, fired_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
  await sql`CREATE TABLE monitor_signals (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    kind ENUM('template_status', 'template_category', 'quality') NOT NULL,
    template VARCHAR(512) NULL,
    language VARCHAR(32) NULL,
    value VARCHAR(64) NOT NULL COMMENT 'the new status, category or quality event',
    previous VARCHAR(64) NULL,
    received_at DATETIME(3) NOT NULL,
    handled_at DATETIME(3) NULL,
    PRIMARY KEY (id),
    KEY monitor_signals_pending (store_id, handled_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
  await sql`ALTER TABLE messages ADD KEY messages_lane_submitted (store_id, lane, submitted_at),
    ADD KEY messages_lane_attempted (store_id, lane, attempted_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages DROP KEY messages_lane_submitted, DROP KEY messages_lane_attempted`.execute(db);
  await sql`DROP TABLE monitor_signals`.execute(db);
  await sql`DROP TABLE monitor_events`.execute(db);
}
