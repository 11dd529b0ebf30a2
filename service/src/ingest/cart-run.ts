import { compareStamps, fromStoredStamp, toStoredStamp, type Stamp, type StoredStamp } from './order';

/**
 * When a cart started, whatever order its snapshots arrive in: `started_at` is the earliest
 * snapshot with content after the newest emptying (a `cart.emptied`, or a `cart.updated` with no
 * lines), and null when the newest snapshot is empty. So the run keeps the newest emptying and
 * every snapshot with content since it: a late emptying that falls inside the run cuts it there,
 * and the start moves to the first snapshot after it. Kept in `carts.stamps` as `run`. Pure.
 */
export interface CartRun {
  emptied: Stamp | null;
  /** The snapshots with content newer than `emptied`, oldest first. */
  content: Stamp[];
}

interface StoredRun {
  emptied: StoredStamp | null;
  content: StoredStamp[];
}

/**
 * The run as stored; a cart stored before runs were kept starts from what its row says (its
 * start, and its newest snapshot as the emptying when it is empty now).
 */
export function readRun(stored: unknown, legacy: { startedAt: Date | null; emptiedAt: Stamp | null }): CartRun {
  const run = stored as Partial<StoredRun> | undefined;
  if (run && Array.isArray(run.content)) {
    return {
      emptied: fromStoredStamp(run.emptied),
      content: run.content.map(fromStoredStamp).filter((s): s is Stamp => s !== null),
    };
  }
  return {
    emptied: legacy.emptiedAt,
    content: legacy.startedAt ? [{ at: legacy.startedAt, eventId: '' }] : [],
  };
}

export function storeRun(run: CartRun): StoredRun {
  return { emptied: run.emptied && toStoredStamp(run.emptied), content: run.content.map(toStoredStamp) };
}

/** The run after some more snapshots (commutative: any order, any grouping gives the same run). */
export function foldRun(run: CartRun, snapshots: ReadonlyArray<Stamp & { hasContent: boolean }>): CartRun {
  let emptied = run.emptied;
  for (const s of snapshots) {
    if (!s.hasContent && (!emptied || compareStamps(s, emptied) > 0)) emptied = { at: s.at, eventId: s.eventId };
  }
  const seen = new Set<string>();
  const content = [
    ...run.content,
    ...snapshots.filter((s) => s.hasContent).map((s) => ({ at: s.at, eventId: s.eventId })),
  ]
    .filter((s) => !emptied || compareStamps(s, emptied) > 0)
    .sort(compareStamps)
    .filter((s) => {
      const id = `${s.at.getTime()}|${s.eventId}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  return { emptied, content };
}

export function runStart(run: CartRun): Date | null {
  return run.content[0]?.at ?? null;
}
