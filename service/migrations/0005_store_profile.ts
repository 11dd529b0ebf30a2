import { sql, type Kysely } from 'kysely';

/**
 * The store's profile as the plugin reports it in `store.updated` (name, home URL, time zone,
 * currency and locale already have columns): where the sidecar reaches the plugin's signed
 * routes, WooCommerce's placeholder image, the software versions, whether WooCommerce's own
 * pending-order email is on, and the stamp of the event that set them (newest wins, whatever
 * order the events arrive in).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE stores
    ADD COLUMN api_url VARCHAR(2048) NULL AFTER locale,
    ADD COLUMN placeholder_image_url VARCHAR(2048) NULL AFTER api_url,
    ADD COLUMN versions TEXT NULL COMMENT 'JSON: wordpress, woocommerce, plugin, php' AFTER placeholder_image_url,
    ADD COLUMN wc_pending_order_email TINYINT(1) NULL AFTER versions,
    ADD COLUMN profile_at DATETIME(3) NULL COMMENT 'occurred_at of the store.updated that set the profile' AFTER wc_pending_order_email,
    ADD COLUMN profile_event_id CHAR(36) NULL AFTER profile_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE stores
    DROP COLUMN profile_event_id,
    DROP COLUMN profile_at,
    DROP COLUMN wc_pending_order_email,
    DROP COLUMN versions,
    DROP COLUMN placeholder_image_url,
    DROP COLUMN api_url`.execute(db);
}
