import { sql, type Kysely } from 'kysely';

/**
 * Known browsers and pay links (issue 10):
 *
 * - `product_views.contact_ref`: the known-browser cookie's reference a view carried, indexed to
 *   relink the views of a reference when a `browser.linked` names its contact (contact_keys rows
 *   of kind `browser` say which contact a reference points at: ingest/links.ts).
 * - `orders.pay_url`: the order's own pay link, from the newest report of the order (null when
 *   that report carried none: the order cannot be paid now).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE product_views
    ADD COLUMN contact_ref VARCHAR(64) CHARACTER SET ascii NULL COMMENT 'the known-browser reference the view carried' AFTER customer_id,
    ADD KEY product_views_contact_ref (store_id, contact_ref)`.execute(db);
  await sql`ALTER TABLE orders
    ADD COLUMN pay_url VARCHAR(2048) NULL COMMENT 'the pay link of the newest report, null when it carried none' AFTER payment_method`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders DROP COLUMN pay_url`.execute(db);
  await sql`ALTER TABLE product_views DROP KEY product_views_contact_ref, DROP COLUMN contact_ref`.execute(db);
}
