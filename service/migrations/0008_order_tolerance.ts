import { sql, type Kysely } from 'kysely';

/**
 * Order tolerance (ingest/fields.ts, ingest/links.ts): each fact a function of the events, not of
 * the order they arrive in.
 *
 * - `stamps` on contacts, carts and orders: per field, the stamp of the event its value came
 *   from (newest wins field by field), and for carts the run of snapshots since the newest
 *   emptying (`started_at` is the earliest of them).
 * - `contact_keys`: which contact an email, a customer id, a phone or a shopping session points
 *   at, kept up to date and locked by every transaction that reads or changes that link, so rows
 *   linked earlier are relinked when it changes. A session also keeps its newest login.
 * - Indexes to find the rows that name a key whose contact changed.
 */
const TABLE = sql.raw('ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contacts
    ADD COLUMN stamps TEXT NULL COMMENT 'JSON: per attribute, [occurred_at, event id] of the event that set it' AFTER attributes_at`.execute(
    db,
  );
  await sql`ALTER TABLE carts
    ADD COLUMN stamps TEXT NULL COMMENT 'JSON: per field stamps and the snapshots since the newest emptying' AFTER checkout_details,
    ADD KEY carts_customer (store_id, customer_id),
    ADD KEY carts_email (store_id, email)`.execute(db);
  await sql`ALTER TABLE orders
    ADD COLUMN stamps TEXT NULL COMMENT 'JSON: per field, [occurred_at, event id] of the event that set it' AFTER state_event_id,
    ADD KEY orders_customer (store_id, customer_id),
    ADD KEY orders_email (store_id, email)`.execute(db);
  await sql`ALTER TABLE product_views ADD KEY product_views_customer (store_id, customer_id)`.execute(db);
  await sql`ALTER TABLE channel_nudges
    ADD KEY channel_nudges_phone (store_id, phone),
    ADD KEY channel_nudges_email (store_id, email)`.execute(db);
  await sql`CREATE TABLE contact_keys (
    store_id INT UNSIGNED NOT NULL,
    kind VARCHAR(8) CHARACTER SET ascii NOT NULL COMMENT 'customer, email, phone or session',
    value VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    contact_id BIGINT UNSIGNED NULL COMMENT 'the contact the key points at (ingest/links.ts)',
    ref_phone VARCHAR(16) CHARACTER SET ascii NULL COMMENT 'sessions: the newest login, who it named',
    ref_email VARCHAR(254) NULL,
    ref_customer_id BIGINT UNSIGNED NULL,
    ref_at DATETIME(3) NULL,
    ref_event_id CHAR(36) CHARACTER SET ascii NULL,
    PRIMARY KEY (store_id, kind, value),
    KEY contact_keys_contact (store_id, contact_id),
    KEY contact_keys_ref_email (store_id, ref_email),
    KEY contact_keys_ref_customer (store_id, ref_customer_id)
  ) ${TABLE}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE contact_keys`.execute(db);
  await sql`ALTER TABLE channel_nudges DROP KEY channel_nudges_email, DROP KEY channel_nudges_phone`.execute(db);
  await sql`ALTER TABLE product_views DROP KEY product_views_customer`.execute(db);
  await sql`ALTER TABLE orders DROP KEY orders_email, DROP KEY orders_customer, DROP COLUMN stamps`.execute(db);
  await sql`ALTER TABLE carts DROP KEY carts_email, DROP KEY carts_customer, DROP COLUMN stamps`.execute(db);
  await sql`ALTER TABLE contacts DROP COLUMN stamps`.execute(db);
}
