import { sql, type Kysely } from 'kysely';

/**
 * Measurement (issue 12): what Meta charged for each message, as its status webhooks say
 * (`pricing {billable, pricing_model, category, type}`, per-message pricing since 2025-07-01),
 * kept on the message so its cost is Meta's own word where there is one (measure/rate-card.ts);
 * keys for the dashboard's queries (measure/sql/): messages and journeys by when they began, the
 * newest messages, a contact's messages; and the admin's rate card lives in `settings`.
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
  await sql`ALTER TABLE enrollments ADD KEY enrollments_created (store_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enrollments DROP KEY enrollments_created`.execute(db);
  await sql`ALTER TABLE messages
    DROP KEY messages_contact_id, DROP KEY messages_newest, DROP KEY messages_created,
    DROP COLUMN pricing_type, DROP COLUMN pricing_category, DROP COLUMN pricing_model, DROP COLUMN pricing_billable`.execute(
    db,
  );
}
