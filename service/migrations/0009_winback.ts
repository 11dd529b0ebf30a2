import { sql, type Kysely } from 'kysely';

/**
 * The win-back lane (recovery/winback-pass.ts):
 *
 * - `orders_winback`: a contact's orders by status and time, so the daily pass finds lapsed
 *   contacts with one grouped scan of this index in contact order (keyset chunks), without
 *   touching the rows; `orders_placed` and `product_views_recent` to read the newest orders and
 *   views that make the candidate pool (recovery/winback/pool.ts).
 * - `enrollments.offer`: what a journey offers, as JSON (win-back: its chosen products), so the
 *   message shows what was chosen when the journey began.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders
    ADD KEY orders_winback (store_id, contact_id, status, placed_at, created_at),
    ADD KEY orders_placed (store_id, placed_at)`.execute(db);
  await sql`ALTER TABLE product_views ADD KEY product_views_recent (store_id, viewed_at)`.execute(db);
  await sql`ALTER TABLE enrollments
    ADD COLUMN offer MEDIUMTEXT NULL COMMENT 'JSON: what the journey offers (win-back: its products)' AFTER stop_reason`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE enrollments DROP COLUMN offer`.execute(db);
  await sql`ALTER TABLE product_views DROP KEY product_views_recent`.execute(db);
  await sql`ALTER TABLE orders DROP KEY orders_placed, DROP KEY orders_winback`.execute(db);
}
