import fc from 'fast-check';
import { foldRun, readRun, runStart, storeRun, type CartRun } from '../../src/ingest/cart-run';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));
const snap = (minute: number, hasContent: boolean, id = `e${minute}`) => ({ at: at(minute), eventId: id, hasContent });
const empty: CartRun = { emptied: null, content: [] };

describe('the run a cart started with', () => {
  it('starts at the first snapshot with content after the newest emptying', () => {
    const run = foldRun(empty, [snap(0, true), snap(10, true), snap(20, false), snap(30, true), snap(40, true)]);
    expect(runStart(run)).toEqual(at(30));
    expect(runStart(foldRun(run, [snap(50, false)]))).toBeNull();
  });

  it('cuts the run where a late emptying falls, and ignores late snapshots before the emptying', () => {
    const run = foldRun(empty, [snap(0, true), snap(30, true), snap(40, true)]);
    expect(runStart(run)).toEqual(at(0));
    const cut = foldRun(run, [snap(20, false)]);
    expect(runStart(cut)).toEqual(at(30));
    expect(runStart(foldRun(cut, [snap(10, true)]))).toEqual(at(30));
    expect(runStart(foldRun(cut, [snap(25, true)]))).toEqual(at(25));
  });

  it('is the same whatever order and grouping the snapshots come in (property)', () => {
    const snapshots = fc.uniqueArray(fc.record({ minute: fc.integer({ min: 0, max: 59 }), hasContent: fc.boolean() }), {
      selector: (s) => s.minute,
      maxLength: 12,
    });
    fc.assert(
      fc.property(snapshots, fc.array(fc.nat()), fc.integer({ min: 1, max: 4 }), (items, keys, group) => {
        const all = items.map((s) => snap(s.minute, s.hasContent));
        const shuffled = all
          .map((s, i) => ({ s, k: keys[i] ?? i }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.s);
        let run = empty;
        for (let i = 0; i < shuffled.length; i += group) {
          // Through the stored form, as between transactions.
          run = readRun(JSON.parse(JSON.stringify(storeRun(foldRun(run, shuffled.slice(i, i + group))))), {
            startedAt: null,
            emptiedAt: null,
          });
        }
        expect(run).toEqual(foldRun(empty, all));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('reads a cart stored before runs were kept from its row', () => {
    expect(readRun(undefined, { startedAt: at(5), emptiedAt: null })).toEqual({
      emptied: null,
      content: [{ at: at(5), eventId: '' }],
    });
  });
});
