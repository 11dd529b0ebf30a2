import type { Db } from '../../db/database';
import { DEFAULT_RATE_CARD, validateRateCard, type RateCard } from '../rate-card';

/** The admin's rate card: `settings` row `rate_card` (JSON), else the defaults (measure/rate-card.ts). */
const NAME = 'rate_card';

export async function readRateCard(db: Db, storeId: number): Promise<{ card: RateCard; source: 'default' | 'admin' }> {
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

export async function saveRateCard(db: Db, storeId: number, card: RateCard, now: Date): Promise<void> {
  const value = JSON.stringify(card);
  await db
    .insertInto('settings')
    .values({ store_id: storeId, name: NAME, value, updated_at: now })
    .onDuplicateKeyUpdate({ value, updated_at: now })
    .execute();
}
