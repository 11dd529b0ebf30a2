import type { StoreEvent } from '@cartback/shared';
import type { IngestResult } from '../../src/ingest/ingest';
import { IngestQueue } from '../../src/ingest/queue';
import { event } from '../support/events';

const result = (events: readonly StoreEvent[]): IngestResult => ({
  accepted: events.length,
  duplicates: 0,
  applied: new Map(),
});

/** An apply function that records the groups it is given and finishes when told to. */
function recorder(fail: (events: readonly StoreEvent[]) => boolean = () => false) {
  const groups: number[][] = [];
  const pending: Array<() => void> = [];
  const apply = (batches: ReadonlyArray<readonly StoreEvent[]>) => {
    groups.push(batches.map((b) => b.length));
    return new Promise<IngestResult[]>((resolve, reject) => {
      pending.push(() => (batches.some(fail) ? reject(new Error('database fault')) : resolve(batches.map(result))));
    });
  };
  const finishAll = async () => {
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { apply, groups, finishAll };
}

const batchOf = (n: number) => Array.from({ length: n }, () => event('cart.emptied'));

describe('group commit', () => {
  it('sends batches that arrive while the writers are busy together in the next transaction', async () => {
    const r = recorder();
    const queue = new IngestQueue(r.apply, 1);
    const replies = [1, 2, 3, 4].map((n) => queue.submit(batchOf(n)));
    await r.finishAll();
    expect(r.groups).toEqual([[1], [2, 3, 4]]);
    expect((await Promise.all(replies)).map((x) => x.accepted)).toEqual([1, 2, 3, 4]);
  });

  it('never puts more than maxEvents in one transaction', async () => {
    const r = recorder();
    const queue = new IngestQueue(r.apply, 1, 5);
    const replies = [1, 3, 3, 2, 6].map((n) => queue.submit(batchOf(n)));
    await r.finishAll();
    await Promise.all(replies);
    expect(r.groups).toEqual([[1], [3], [3, 2], [6]]);
  });

  it('runs up to `writers` transactions at once', async () => {
    const r = recorder();
    const queue = new IngestQueue(r.apply, 2);
    const replies = [1, 1, 1, 1].map((n) => queue.submit(batchOf(n)));
    expect(r.groups).toEqual([[1], [1]]);
    await r.finishAll();
    await Promise.all(replies);
    expect(r.groups).toEqual([[1], [1], [1, 1]]);
  });

  it('when a shared transaction fails, fails only the batch at fault and applies the others', async () => {
    const bad = batchOf(2);
    const r = recorder((events) => events === bad);
    const queue = new IngestQueue(r.apply, 1);
    const first = queue.submit(batchOf(1));
    const good = queue.submit(batchOf(3));
    const faulty = queue.submit(bad);
    const also = queue.submit(batchOf(4));
    const settled = Promise.allSettled([first, good, faulty, also]);
    await r.finishAll();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // The shared attempt, then each batch on its own.
    expect(r.groups).toEqual([[1], [3, 2, 4], [3], [2], [4]]);
  });
});
