import type { Db } from '../../db/database';

export interface ReconcileCounts {
  /** Sends whose answer was lost, waiting for a status webhook within the reconcile window. */
  unknown: number;
  /** Sends that got no status within the window: never resent. */
  lost: number;
}

/** How many messages are `unknown` and `lost` now, for one store or (no `storeId`) all. */
export async function reconcileCounts(db: Db, storeId?: number): Promise<ReconcileCounts> {
  let query = db
    .selectFrom('messages')
    .select('state')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('state', 'in', ['unknown', 'lost'])
    .groupBy('state');
  if (storeId !== undefined) query = query.where('store_id', '=', storeId);
  const counts: ReconcileCounts = { unknown: 0, lost: 0 };
  for (const row of await query.execute()) {
    if (row.state === 'unknown' || row.state === 'lost') counts[row.state] = Number(row.n);
  }
  return counts;
}
