import { sql, type Kysely } from 'kysely';

/**
 * Measurement (issue 12): what Meta charged for each message, as its status webhooks say
 * (`pricing {billable, pricing_model, category, type}`, per-message pricing since 2025-07-01),
 * kept on the message so its cost is Meta's own word where there is one (measure/rate-card.ts);
 * keys for the dashboard's queries (measure/sql/): messages and journeys by when they began, the
 * newest messages, a contact's messages; and the admin's rate card lives in `settings`.
 *
 * Roll-ups (measure/sql/rollup.ts): the dashboard's figures per UTC hour ("slot") — messages per
 * lane, step and template, with their cost at the rate card (kept as a table, `measure_rates`,
 * and the country of each phone prefix, `measure_prefixes`, so SQL can price them); attributed orders; journeys per lane and cell with their conversions and revenue (the
 * lift's sums). Rebuilt slot by slot from the facts whenever a fact of the slot changed, so the
 * dashboard reads thousands of rows, not millions. `enrollments_updated` and
 * `attributions_decided` find what changed since the last refresh.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages
    ADD COLUMN pricing_billable TINYINT(1) NULL COMMENT 'status webhook pricing.billable; NULL: none reported' AFTER lost_at,
    ADD COLUMN pricing_model VARCHAR(40) NULL COMMENT 'pricing.pricing_model (PMP)' AFTER pricing_billable,
    ADD COLUMN pricing_category VARCHAR(40) NULL COMMENT 'pricing.category: what Meta billed it as' AFTER pricing_model,
    ADD COLUMN pricing_type VARCHAR(40) NULL COMMENT 'pricing.type: regular, free_customer_service, free_entry_point' AFTER pricing_category,
    ADD KEY messages_created (store_id, created_at),
    ADD KEY messages_newest (store_id, id),
    ADD KEY messages_contact_id (store_id, contact_id, id)`.execute(db);
  await sql`ALTER TABLE enrollments ADD KEY enrollments_created (store_id, created_at),
    ADD KEY enrollments_updated (store_id, updated_at)`.execute(db);
  await sql`ALTER TABLE attributions ADD KEY attributions_decided (store_id, decided_at)`.execute(db);
  const slot = sql`store_id INT UNSIGNED NOT NULL, slot DATETIME NOT NULL COMMENT 'the UTC hour', lane VARCHAR(64) NOT NULL`;
  const table = sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
  await sql`CREATE TABLE measure_message_slots (${slot},
    step INT UNSIGNED NOT NULL, template VARCHAR(191) NOT NULL DEFAULT '',
    sent INT UNSIGNED NOT NULL, delivered INT UNSIGNED NOT NULL, \`read\` INT UNSIGNED NOT NULL,
    failed INT UNSIGNED NOT NULL, clicked INT UNSIGNED NOT NULL,
    cost_micros BIGINT UNSIGNED NOT NULL COMMENT 'USD millionths, at the rate card of the last rebuild',
    PRIMARY KEY (store_id, slot, lane, step, template)) ${table}`.execute(db);
  await sql`CREATE TABLE measure_rates (store_id INT UNSIGNED NOT NULL,
    country VARCHAR(8) NOT NULL COMMENT 'ISO 3166-1 alpha-2, or default', category VARCHAR(16) NOT NULL,
    micros INT UNSIGNED NOT NULL, PRIMARY KEY (store_id, country, category)) ${table}`.execute(db);
  await sql`CREATE TABLE measure_prefixes (prefix VARCHAR(8) NOT NULL COMMENT 'a phone''s first five characters',
    country CHAR(2) NULL, PRIMARY KEY (prefix)) ${table}`.execute(db);
  await sql`CREATE TABLE measure_attribution_slots (${slot},
    step INT UNSIGNED NOT NULL, template VARCHAR(191) NOT NULL DEFAULT '',
    kind ENUM('recovered', 'influenced') NOT NULL, orders INT UNSIGNED NOT NULL, amount BIGINT NOT NULL,
    PRIMARY KEY (store_id, slot, lane, step, template, kind)) ${table}`.execute(db);
  await sql`CREATE TABLE measure_enrollment_slots (${slot},
    cell ENUM('treatment', 'holdout') NOT NULL, enrolled INT UNSIGNED NOT NULL, opted_out INT UNSIGNED NOT NULL,
    converted INT UNSIGNED NOT NULL, revenue BIGINT NOT NULL COMMENT 'minor units: sum over journeys',
    squares DECIMAL(38, 0) NOT NULL COMMENT 'sum over journeys of revenue squared',
    PRIMARY KEY (store_id, slot, lane, cell)) ${table}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'measure_prefixes',
    'measure_rates',
    'measure_enrollment_slots',
    'measure_attribution_slots',
    'measure_message_slots',
  ]) {
    await sql`DROP TABLE ${sql.table(name)}`.execute(db);
  }
  await sql`ALTER TABLE attributions DROP KEY attributions_decided`.execute(db);
  await sql`ALTER TABLE enrollments DROP KEY enrollments_updated, DROP KEY enrollments_created`.execute(db);
  await sql`ALTER TABLE messages
    DROP KEY messages_contact_id, DROP KEY messages_newest, DROP KEY messages_created,
    DROP COLUMN pricing_type, DROP COLUMN pricing_category, DROP COLUMN pricing_model, DROP COLUMN pricing_billable`.execute(
    db,
  );
}
