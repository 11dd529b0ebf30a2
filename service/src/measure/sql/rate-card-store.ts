import type { Db, Trx } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { DEFAULT_RATE_CARD, validateRateCard, type RateCard } from '../rate-card';

/** The admin's rate card: `settings` row `rate_card` (JSON), else the defaults (measure/rate-card.ts). */
const NAME = 'rate_card';

export async function readRateCard(
  db: Db | Trx | Kysely<Database>,
  storeId: number,
): Promise<{ card: RateCard; source: 'default' | 'admin' }> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('store_id', '=', storeId)
    .where('name', '=', NAME)
    .executeTakeFirst();
  if (row) {
    try {
      const check = validateRateCard(JSON.parse(row.value));
      if (check.ok) return { card: check.value, source: 'admin' };
    } catch {
      // A row that is no longer valid JSON: the defaults, until the next save replaces it.
    }
  }
  return { card: DEFAULT_RATE_CARD, source: 'default' };
}

/**
 * Stores the card, and forgets the roll-ups' watermark: costs are priced into the roll-ups, so the
 * next refresh rebuilds them all at the new rates (measure/sql/rollup.ts).
 */
export async function saveRateCard(db: Db, storeId: number, card: RateCard, now: Date): Promise<void> {
  const value = JSON.stringify(card);
  await withTransaction(db, async (trx) => {
    await trx
      .insertInto('settings')
      .values({ store_id: storeId, name: NAME, value, updated_at: now })
      .onDuplicateKeyUpdate({ value, updated_at: now })
      .execute();
    await trx
      .deleteFrom('settings')
      .where('store_id', '=', storeId)
      .where('name', '=', 'measure_rollup_watermark')
      .execute();
  });
}
