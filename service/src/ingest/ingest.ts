import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '@cartback/shared';
import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import { applyFacts } from './apply';
import { dedupeBatch, planBatch } from './plan';
import { claimEvents } from './sql/inbound-events';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Event types applied, for metrics; reported only after the commit. */
  applied: Map<string, number>;
}

/**
 * Applies validated batches exactly once, together in one transaction: events seen before (in
 * an earlier request, or earlier in these batches) are counted as duplicates of the batch that
 * repeats them and change nothing; everything else is applied, or, on any error, nothing is.
 * Returns one result per batch, in order.
 */
export async function ingestBatches(
  db: Db,
  storeId: number,
  batches: ReadonlyArray<readonly StoreEvent[]>,
  now: Date = new Date(),
): Promise<IngestResult[]> {
  const owner = new Map<string, number>();
  const unique: StoreEvent[] = [];
  batches.forEach((events, b) => {
    for (const event of dedupeBatch(events).unique) {
      if (owner.has(event.id)) continue;
      owner.set(event.id, b);
      unique.push(event);
    }
  });
  return withTransaction(db, async (trx) => {
    const receipt = randomBytes(16).toString('hex');
    const claimed = await claimEvents(trx, storeId, receipt, unique, now);
    const fresh = unique.filter((e) => claimed.has(e.id));
    await applyFacts(trx, storeId, planBatch(fresh, now), now);
    const results: IngestResult[] = batches.map((events) => ({
      accepted: 0,
      duplicates: events.length,
      applied: new Map(),
    }));
    for (const event of fresh) {
      const result = results[owner.get(event.id) as number] as IngestResult;
      result.accepted++;
      result.duplicates--;
      result.applied.set(event.type, (result.applied.get(event.type) ?? 0) + 1);
    }
    return results;
  });
}
