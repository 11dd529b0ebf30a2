import { sql, type Kysely } from 'kysely';

/**
 * Sends lost before they reached the provider. A message whose send answer was lost (`unknown`)
 * and whose status webhook has not come within the reconcile window (RECONCILE_WINDOW) becomes
 * `lost`: final for automation, never resent, though a status that still comes settles it.
 * `attempted_at` is when the message was last handed to the provider (its claim, committed
 * before the call): the window counts from there. Messages already `unknown` or `submitting`
 * take their last update as that time, which is when their claim or answer was written.
 */
const STATES =
  "'queued', 'submitting', 'submitted', 'sent', 'delivered', 'read', 'failed', 'unknown', 'held_out', 'skipped'";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE messages
    MODIFY state ENUM(${sql.raw(STATES)}, 'lost') NOT NULL,
    ADD COLUMN attempted_at DATETIME(3) NULL COMMENT 'last handed to the provider (the claim, committed before the call)' AFTER error_message,
    ADD COLUMN lost_at DATETIME(3) NULL COMMENT 'when the reconcile window ran out without a status' AFTER failed_at`.execute(
    db,
  );
  await sql`UPDATE messages SET attempted_at = updated_at WHERE state IN ('unknown', 'submitting')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE messages SET state = 'unknown' WHERE state = 'lost'`.execute(db);
  await sql`ALTER TABLE messages
    MODIFY state ENUM(${sql.raw(STATES)}) NOT NULL,
    DROP COLUMN lost_at,
    DROP COLUMN attempted_at`.execute(db);
}
