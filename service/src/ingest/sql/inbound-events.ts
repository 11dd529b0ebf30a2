import type { StoreEvent } from '@cartback/shared';
import type { Trx } from '../../db/database';

/**
 * Records events in the inbound log and returns the ids that are new. The claim: a multi-row
 * INSERT IGNORE in id order, all stamped with this request's `receipt`. An id another
 * transaction holds makes this one wait for it; if that one commits, our row is ignored (a
 * duplicate), if it rolls back, ours goes in. So afterwards exactly the rows carrying our
 * receipt are ours to apply, and no event is applied twice however many requests race.
 */
export async function claimEvents(
  trx: Trx,
  storeId: number,
  receipt: string,
  events: readonly StoreEvent[],
  receivedAt: Date,
): Promise<Set<string>> {
  const sorted = [...events].sort((a, b) => (a.id < b.id ? -1 : 1));
  const result = await trx
    .insertInto('inbound_events')
    .ignore()
    .values(
      sorted.map((e) => ({
        store_id: storeId,
        event_id: e.id,
        type: e.type,
        occurred_at: new Date(e.occurred_at),
        received_at: receivedAt,
        receipt,
        payload: JSON.stringify(e),
      })),
    )
    .executeTakeFirst();
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0);
  if (inserted === sorted.length) return new Set(sorted.map((e) => e.id));
  if (inserted === 0) return new Set();
  const mine = await trx
    .selectFrom('inbound_events')
    .select('event_id')
    .where('store_id', '=', storeId)
    .where(
      'event_id',
      'in',
      sorted.map((e) => e.id),
    )
    .where('receipt', '=', receipt)
    .execute();
  return new Set(mine.map((r) => r.event_id));
}
