import { sql, type Kysely } from 'kysely';

/**
 * Partial refunds (issue 11): per order, the largest amount refunded that any of its events
 * reported (`totals.refunded`, minor units). Refunds only grow, so the largest wins whatever order
 * the events arrive in. An `order.refunded` without the field (plugins before issue 11) counts as
 * a full refund of the total it carried. NULL: no event said; with `refunded_at` set (rows from
 * before this migration) attribution counts the order as fully refunded, as it did then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders ADD COLUMN refunded_amount BIGINT UNSIGNED NULL
    COMMENT 'minor units: the largest refunded total reported; NULL when no event said' AFTER refunded_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders DROP COLUMN refunded_amount`.execute(db);
}
