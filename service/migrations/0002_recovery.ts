import { sql, type Kysely } from 'kysely';

/**
 * The recovery engine's state: lane settings, enrollments with their append-only history,
 * messages (one per enrollment step), tracked links with their clicks, and restore tokens
 * (stored only as SHA-256 hashes). Opt-outs are consent-ledger rows; the kill switch and other
 * store-wide flags are rows in `settings`.
 */
const TABLE = sql.raw('ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE lane_settings (
    store_id INT UNSIGNED NOT NULL,
    lane VARCHAR(32) NOT NULL,
    settings TEXT NOT NULL COMMENT 'JSON, validated by the lane schema',
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id, lane)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE enrollments (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    lane VARCHAR(32) NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    subject_kind VARCHAR(16) NOT NULL,
    subject_id VARCHAR(64) NOT NULL,
    episode_at DATETIME(3) NOT NULL COMMENT 'when the subject began (a cart: started_at), so a refilled cart is a new journey',
    cell ENUM('treatment', 'holdout') NOT NULL,
    state ENUM('active', 'completed', 'stopped') NOT NULL,
    anchor_at DATETIME(3) NOT NULL COMMENT 'step delays count from here (a cart: its last change)',
    next_step TINYINT UNSIGNED NOT NULL DEFAULT 0,
    next_due_at DATETIME(3) NULL,
    stop_reason VARCHAR(32) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY enrollments_subject (store_id, lane, subject_kind, subject_id, episode_at),
    KEY enrollments_due (store_id, state, next_due_at),
    KEY enrollments_contact (store_id, contact_id, state)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE enrollment_history (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    enrollment_id BIGINT UNSIGNED NOT NULL,
    at DATETIME(3) NOT NULL,
    kind VARCHAR(24) NOT NULL COMMENT 'enrolled, decided, sent, failed, stopped, completed, …',
    step TINYINT UNSIGNED NULL,
    reason VARCHAR(32) NULL COMMENT 'a reason code from the policies, when a check decided',
    detail TEXT NULL,
    PRIMARY KEY (id),
    KEY enrollment_history_enrollment (store_id, enrollment_id, id)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE messages (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    enrollment_id BIGINT UNSIGNED NOT NULL,
    step TINYINT UNSIGNED NOT NULL,
    lane VARCHAR(32) NOT NULL,
    category ENUM('marketing', 'utility') NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    phone VARCHAR(16) CHARACTER SET ascii NOT NULL,
    state ENUM('queued', 'submitting', 'submitted', 'sent', 'delivered', 'read', 'failed', 'unknown', 'held_out', 'skipped')
      NOT NULL,
    due_at DATETIME(3) NOT NULL,
    attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    template VARCHAR(512) NULL,
    language VARCHAR(16) NULL,
    payload MEDIUMTEXT NULL COMMENT 'the components as submitted (JSON)',
    provider_message_id VARCHAR(128) CHARACTER SET ascii NULL,
    error_code VARCHAR(16) NULL,
    error_message VARCHAR(500) NULL,
    submitted_at DATETIME(3) NULL,
    sent_at DATETIME(3) NULL,
    delivered_at DATETIME(3) NULL,
    read_at DATETIME(3) NULL,
    failed_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY messages_step (store_id, enrollment_id, step),
    UNIQUE KEY messages_provider (provider_message_id),
    KEY messages_due (state, due_at),
    KEY messages_contact (store_id, contact_id, category, submitted_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE links (
    code VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    store_id INT UNSIGNED NOT NULL,
    message_id BIGINT UNSIGNED NOT NULL,
    subject_kind VARCHAR(16) NOT NULL,
    subject_id VARCHAR(64) NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (code),
    KEY links_message (store_id, message_id)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE clicks (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    code VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    message_id BIGINT UNSIGNED NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    clicked_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY clicks_message (store_id, message_id, clicked_at),
    KEY clicks_contact (store_id, contact_id, clicked_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE restore_tokens (
    token_hash CHAR(64) CHARACTER SET ascii NOT NULL COMMENT 'SHA-256 of the token; the token itself is never stored',
    store_id INT UNSIGNED NOT NULL,
    cart_key VARCHAR(64) NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    code VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (token_hash),
    KEY restore_tokens_expiry (store_id, expires_at)
  ) ${TABLE}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'restore_tokens',
    'clicks',
    'links',
    'messages',
    'enrollment_history',
    'enrollments',
    'lane_settings',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
