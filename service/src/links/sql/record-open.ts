import { sql, type Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { LinksTable } from '../../db/schema';

/**
 * Counts an open of a live link in one statement: the first open inserts the link's click (its
 * time is the click's), every later one adds to `opens` and moves `last_opened_at`.
 */
export async function recordOpen(trx: Trx, link: Selectable<LinksTable>, now: Date): Promise<void> {
  await trx
    .insertInto('clicks')
    .values({
      store_id: link.store_id,
      code: link.code,
      message_id: link.message_id,
      contact_id: link.contact_id,
      clicked_at: now,
      opens: 1,
      last_opened_at: now,
    })
    .onDuplicateKeyUpdate({
      opens: sql`opens + 1`,
      last_opened_at: sql`GREATEST(last_opened_at, VALUES(last_opened_at))`,
    })
    .execute();
}
