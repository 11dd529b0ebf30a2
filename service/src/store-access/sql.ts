import type { Db } from '../db/database';

/** The stored grant of a store (ciphertexts only; store-access/access.ts opens them). */
export interface StoredGrant {
  url: string;
  key_ciphertext: string;
  secret_ciphertext: string;
  key_ending: string;
  key_id: number | null;
  granted_at: Date;
}

/** Keeps a grant, replacing the store's previous one. */
export async function saveGrant(db: Db, storeId: number, grant: StoredGrant): Promise<void> {
  await db
    .insertInto('store_access')
    .values({ store_id: storeId, ...grant })
    .onDuplicateKeyUpdate({ ...grant })
    .execute();
}

export async function readGrant(db: Db, storeId: number): Promise<StoredGrant | undefined> {
  return db
    .selectFrom('store_access')
    .select(['url', 'key_ciphertext', 'secret_ciphertext', 'key_ending', 'key_id', 'granted_at'])
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

/** Forgets the store's grant; whether there was one. */
export async function deleteGrant(db: Db, storeId: number): Promise<boolean> {
  const result = await db.deleteFrom('store_access').where('store_id', '=', storeId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
