import type { Db } from '../../db/database';

/**
 * Deletes up to `batch` of the store's restore tokens that had expired by `now` (oldest first,
 * along the expiry index); returns how many went. Small batches keep each statement's locks short.
 */
export async function purgeExpiredTokens(db: Db, storeId: number, now: Date, batch: number): Promise<number> {
  const result = await db
    .deleteFrom('restore_tokens')
    .where('store_id', '=', storeId)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(batch)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
