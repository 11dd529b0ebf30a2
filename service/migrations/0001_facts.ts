import { sql, type Kysely } from 'kysely';

/**
 * The facts the store reports: stores and settings, contacts, the consent ledger, carts and
 * orders, product views, other channels' nudges, and the inbound event log that makes ingestion
 * idempotent. A cart's or order's lines are its latest snapshot, kept whole as a JSON array
 * beside the row (they are always replaced and read whole), each line with its money in
 * integer minor units. Every table leads with `store_id`. Money is BIGINT minor
 * units; times are DATETIME(3) UTC. No foreign keys: ingestion keeps integrity inside one
 * transaction, and parent-row locks would serialise concurrent batches.
 */
const TABLE = sql.raw('ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');

const TOTALS_COLUMNS = sql.raw(`
  subtotal BIGINT UNSIGNED NULL,
  tax BIGINT UNSIGNED NULL,
  shipping BIGINT UNSIGNED NULL,
  discount BIGINT UNSIGNED NULL,
  total BIGINT UNSIGNED NULL`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE stores (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT,
    name VARCHAR(200) NOT NULL,
    url VARCHAR(2048) NULL,
    timezone VARCHAR(64) NULL,
    currency CHAR(3) NULL,
    locale VARCHAR(35) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
  ) ${TABLE}`.execute(db);
  // The first store; one sidecar may serve more later.
  await sql`INSERT INTO stores (id, name, created_at, updated_at)
    VALUES (1, 'default', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`.execute(db);

  await sql`CREATE TABLE settings (
    store_id INT UNSIGNED NOT NULL,
    name VARCHAR(100) NOT NULL,
    value TEXT NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id, name)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE inbound_events (
    store_id INT UNSIGNED NOT NULL,
    event_id CHAR(36) CHARACTER SET ascii NOT NULL,
    type VARCHAR(40) CHARACTER SET ascii NOT NULL,
    occurred_at DATETIME(3) NOT NULL,
    received_at DATETIME(3) NOT NULL,
    receipt CHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'the request that inserted it',
    payload LONGTEXT NOT NULL,
    PRIMARY KEY (store_id, event_id),
    KEY inbound_events_received (store_id, received_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE contacts (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    phone VARCHAR(16) CHARACTER SET ascii NOT NULL COMMENT 'E.164',
    email VARCHAR(254) NULL,
    first_name VARCHAR(100) NULL,
    customer_id BIGINT UNSIGNED NULL,
    locale VARCHAR(35) NULL,
    time_zone VARCHAR(64) NULL,
    country CHAR(2) NULL,
    attributes_at DATETIME(3) NOT NULL COMMENT 'occurred_at of the newest event that set attributes',
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY contacts_phone (store_id, phone),
    KEY contacts_email (store_id, email),
    KEY contacts_customer (store_id, customer_id)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE consent_ledger (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    contact_id BIGINT UNSIGNED NOT NULL,
    event_id CHAR(36) CHARACTER SET ascii NULL,
    phone VARCHAR(16) CHARACTER SET ascii NOT NULL,
    email VARCHAR(254) NULL,
    scope ENUM('marketing', 'utility') NOT NULL,
    action ENUM('granted', 'withdrawn') NOT NULL,
    source VARCHAR(32) NOT NULL,
    text TEXT NOT NULL,
    text_version INT UNSIGNED NOT NULL,
    occurred_at DATETIME(3) NOT NULL,
    recorded_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY consent_ledger_contact (store_id, contact_id, scope, occurred_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE carts (
    store_id INT UNSIGNED NOT NULL,
    cart_key VARCHAR(64) NOT NULL,
    status ENUM('active', 'emptied') NULL COMMENT 'NULL until the first snapshot arrives',
    contact_id BIGINT UNSIGNED NULL,
    customer_id BIGINT UNSIGNED NULL,
    session_id VARCHAR(64) NULL,
    email VARCHAR(254) NULL,
    currency CHAR(3) NULL,
    locale VARCHAR(35) NULL,
    ${TOTALS_COLUMNS},
    item_count INT UNSIGNED NOT NULL DEFAULT 0,
    \`lines\` MEDIUMTEXT NULL COMMENT 'JSON array of the snapshot lines; NULL before the first',
    started_at DATETIME(3) NULL COMMENT 'when the cart last went from empty to holding lines',
    content_at DATETIME(3) NULL,
    content_event_id CHAR(36) CHARACTER SET ascii NULL,
    contact_at DATETIME(3) NULL,
    contact_event_id CHAR(36) CHARACTER SET ascii NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id, cart_key),
    KEY carts_contact (store_id, contact_id),
    KEY carts_session (store_id, session_id),
    KEY carts_idle (store_id, status, content_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE orders (
    store_id INT UNSIGNED NOT NULL,
    order_id BIGINT UNSIGNED NOT NULL,
    cart_key VARCHAR(64) NULL,
    contact_id BIGINT UNSIGNED NULL,
    customer_id BIGINT UNSIGNED NULL,
    phone VARCHAR(16) CHARACTER SET ascii NULL,
    email VARCHAR(254) NULL,
    status VARCHAR(32) NULL,
    currency CHAR(3) NULL,
    ${TOTALS_COLUMNS},
    \`lines\` MEDIUMTEXT NULL COMMENT 'JSON array of the order lines',
    coupons TEXT NULL,
    payment_method VARCHAR(100) NULL,
    placed_at DATETIME(3) NULL,
    paid_at DATETIME(3) NULL,
    failed_at DATETIME(3) NULL,
    refunded_at DATETIME(3) NULL,
    state_at DATETIME(3) NULL,
    state_event_id CHAR(36) CHARACTER SET ascii NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id, order_id),
    KEY orders_contact (store_id, contact_id, placed_at),
    KEY orders_cart (store_id, cart_key)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE product_views (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    event_id CHAR(36) CHARACTER SET ascii NOT NULL,
    session_id VARCHAR(64) NOT NULL,
    customer_id BIGINT UNSIGNED NULL,
    contact_id BIGINT UNSIGNED NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(500) NOT NULL,
    price BIGINT UNSIGNED NOT NULL,
    currency CHAR(3) NOT NULL,
    image_url VARCHAR(2048) NULL,
    url VARCHAR(2048) NOT NULL,
    in_stock TINYINT(1) NOT NULL,
    categories TEXT NOT NULL,
    viewed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY product_views_contact (store_id, contact_id, viewed_at),
    KEY product_views_session (store_id, session_id, viewed_at)
  ) ${TABLE}`.execute(db);

  await sql`CREATE TABLE channel_nudges (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    event_id CHAR(36) CHARACTER SET ascii NOT NULL,
    channel VARCHAR(16) NOT NULL,
    contact_id BIGINT UNSIGNED NULL,
    phone VARCHAR(16) CHARACTER SET ascii NULL,
    email VARCHAR(254) NULL,
    subject_kind VARCHAR(16) NOT NULL,
    subject_id VARCHAR(64) NOT NULL,
    sent_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY channel_nudges_subject (store_id, subject_kind, subject_id, sent_at),
    KEY channel_nudges_contact (store_id, contact_id, sent_at)
  ) ${TABLE}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'channel_nudges',
    'product_views',
    'orders',
    'carts',
    'consent_ledger',
    'contacts',
    'inbound_events',
    'settings',
    'stores',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
