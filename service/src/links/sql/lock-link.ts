import type { Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { LinksTable } from '../../db/schema';

/**
 * The link with this code, locked for the rest of the transaction (READ COMMITTED: an unknown
 * code locks nothing), so concurrent opens of one link take their turn: one click, one token.
 */
export async function lockLink(trx: Trx, code: string): Promise<Selectable<LinksTable> | undefined> {
  return trx.selectFrom('links').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}
