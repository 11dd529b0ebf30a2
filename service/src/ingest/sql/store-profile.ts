import type { Trx } from '../../db/database';
import { nextStoreProfile } from '../decide';
import type { StoreProfileFact } from '../plan';

/**
 * Applies the newest `store.updated` of a batch to the store's row, newest wins (decide.ts).
 * The row is locked first; lock order across transactions: inbound_events, contacts, carts,
 * orders, stores.
 */
export async function applyStoreProfile(
  trx: Trx,
  storeId: number,
  fact: StoreProfileFact | null,
  now: Date,
): Promise<void> {
  if (!fact) return;
  const lock = () =>
    trx
      .selectFrom('stores')
      .select(['profile_at', 'profile_event_id'])
      .where('id', '=', storeId)
      .forUpdate()
      .executeTakeFirst();
  let stored = await lock();
  if (!stored) {
    await trx
      .insertInto('stores')
      .ignore()
      .values({ id: storeId, name: 'default', created_at: now, updated_at: now })
      .execute();
    stored = await lock();
  }
  const next = nextStoreProfile(stored ?? { profile_at: null, profile_event_id: null }, fact, now);
  if (next) await trx.updateTable('stores').set(next).where('id', '=', storeId).execute();
}
