import type { Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { LinksTable } from '../../db/schema';
import type { StoredToken } from '../restore-token';

/** The restore token minted last for a link's code, if any (expired or not). */
export async function newestToken(trx: Trx, code: string): Promise<StoredToken | undefined> {
  return trx
    .selectFrom('restore_tokens')
    .select(['token_hash', 'salt', 'expires_at'])
    .where('code', '=', code)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Stores a new restore token for the link's subject (a cart, or a browse or win-back offer): its hash and salt, never the token. */
export async function insertToken(
  trx: Trx,
  link: Selectable<LinksTable>,
  token: { tokenHash: string; salt: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('restore_tokens')
    .values({
      token_hash: token.tokenHash,
      store_id: link.store_id,
      cart_key: link.subject_id,
      subject_kind: link.subject_kind,
      contact_id: link.contact_id,
      code: link.code,
      salt: token.salt,
      created_at: now,
      expires_at: token.expiresAt,
    })
    .execute();
}
