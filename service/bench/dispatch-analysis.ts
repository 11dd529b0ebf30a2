import { messageIdFromCallback } from '../src/dispatch/dispatcher';
import type { FakeRecord } from './fake-process';
import { percentile } from './load';

/**
 * What `bench:dispatch` concludes from the fake's own record of what reached it (times on the
 * fake's clock, the same machine's as the due times) and the due time of every queued message.
 */

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export interface WindowStats {
  /** The most requests in any 1-second window. */
  max: number;
  /** 1-second windows (one starting at every ms) holding more than the cap. */
  overruns: number;
  /** Over-cap windows grouped into runs of consecutive starting ms (separate bursts). */
  bursts: number;
}

export interface Analysis {
  queued: number;
  accepted: number;
  /** Queued messages the fake accepted exactly once, not at all, and more than once. */
  sentOnce: number;
  notSent: number;
  sentMoreThanOnce: number;
  /** Accepted messages beyond the first for the same callback data (must be 0). */
  duplicates: number;
  /** Accepted messages whose callback data names no queued message. */
  strangers: number;
  firstDueMs: number;
  firstAcceptedMs: number;
  lastAcceptedMs: number;
  /** Accepted ÷ (last accepted − first due). */
  perSecond: number;
  /** Accepted ÷ (last accepted − first accepted). */
  drainPerSecond: number;
  /** Fake's receivedAt − due_at, per message sent (its first acceptance). */
  lateness: Spread;
  /** The same for the earliest schedule the cap allows (nothing can beat it). */
  boundLateness: Spread;
  /** Per message: lateness beyond that earliest schedule. */
  excessLateness: Spread;
  rejections: Map<string, number>;
  throttled: number;
  /** Windows over the accepted sends (the fake enforces its cap on these: never over by design). */
  acceptedWindows: WindowStats;
  /** Windows over every request that reached the fake (accepted + refused): the dispatcher's real pace. */
  arrivalWindows: WindowStats;
}

export const THROTTLE_CODE = 130429;

const lowest = (values: readonly number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);
const highest = (values: readonly number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);

function spread(samples: readonly number[]): Spread {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: percentile(samples, 100) };
}

/**
 * Counts, for every 1-second window [s, s + 1000) with s at 1 ms steps, the requests in it (the
 * fake's own cap counts (now − 1000, now], the same windows), and how many exceed `cap`.
 */
export function slidingWindows(timesMs: readonly number[], cap: number): WindowStats {
  if (timesMs.length === 0) return { max: 0, overruns: 0, bursts: 0 };
  const times = timesMs.map(Math.floor);
  const base = lowest(times) - 999;
  const span = highest(times) - base + 2;
  const diff = new Int32Array(span + 1);
  for (const t of times) {
    // t is in the windows starting at t − 999 … t.
    diff[t - 999 - base] = (diff[t - 999 - base] ?? 0) + 1;
    diff[t + 1 - base] = (diff[t + 1 - base] ?? 0) - 1;
  }
  let count = 0;
  let max = 0;
  let overruns = 0;
  let bursts = 0;
  let over = false;
  for (let s = 0; s <= span; s++) {
    count += diff[s] ?? 0;
    if (count > max) max = count;
    if (count > cap) {
      overruns++;
      if (!over) bursts++;
      over = true;
    } else {
      over = false;
    }
  }
  return { max, overruns, bursts };
}

/**
 * The earliest send times the cap allows for messages due at `dues` (sorted ascending): in due
 * order, each no earlier than its due time, than the one before, and than 1 s after the send
 * `cap` places earlier (so no window [s, s + 1000) holds more than `cap`).
 */
export function earliestSchedule(dues: readonly number[], cap: number): number[] {
  const sends: number[] = [];
  for (let i = 0; i < dues.length; i++) {
    const previous = sends[i - 1] ?? -Infinity;
    const capBound = i >= cap ? (sends[i - cap] ?? -Infinity) + 1000 : -Infinity;
    sends.push(Math.max(dues[i] ?? 0, previous, capBound));
  }
  return sends;
}

export function analyse(dueById: ReadonlyMap<number, number>, record: FakeRecord, cap: number): Analysis {
  const firstSeen = new Map<number, number>();
  const copies = new Map<number, number>();
  let strangers = 0;
  for (const message of record.accepted) {
    const id = messageIdFromCallback(message.callbackData ?? undefined);
    if (id === null || !dueById.has(id)) {
      strangers++;
      continue;
    }
    copies.set(id, (copies.get(id) ?? 0) + 1);
    firstSeen.set(id, Math.min(firstSeen.get(id) ?? Infinity, message.atMs));
  }
  let sentOnce = 0;
  let notSent = 0;
  let sentMoreThanOnce = 0;
  let duplicates = 0;
  for (const id of dueById.keys()) {
    const n = copies.get(id) ?? 0;
    if (n === 0) notSent++;
    else if (n === 1) sentOnce++;
    else {
      sentMoreThanOnce++;
      duplicates += n - 1;
    }
  }

  // Due order, as the dispatcher claims (due_at, id), paired with the earliest schedule.
  const order = [...dueById.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const bound = earliestSchedule(
    order.map(([, due]) => due),
    cap,
  );
  const lateness: number[] = [];
  const boundLateness: number[] = [];
  const excess: number[] = [];
  order.forEach(([id, due], i) => {
    const ideal = bound[i] ?? due;
    boundLateness.push(ideal - due);
    const sent = firstSeen.get(id);
    if (sent === undefined) return;
    lateness.push(sent - due);
    excess.push(sent - ideal);
  });

  const acceptedTimes = record.accepted.map((m) => m.atMs);
  const firstDueMs = order[0]?.[1] ?? Number.NaN;
  const firstAcceptedMs = acceptedTimes.length > 0 ? lowest(acceptedTimes) : Number.NaN;
  const lastAcceptedMs = acceptedTimes.length > 0 ? highest(acceptedTimes) : Number.NaN;
  const rate = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : Number.NaN);

  const rejections = new Map<string, number>();
  for (const r of record.rejected) {
    const key = `${r.code ?? 'none'} (${r.reason})`;
    rejections.set(key, (rejections.get(key) ?? 0) + 1);
  }
  return {
    queued: dueById.size,
    accepted: record.accepted.length,
    sentOnce,
    notSent,
    sentMoreThanOnce,
    duplicates,
    strangers,
    firstDueMs,
    firstAcceptedMs,
    lastAcceptedMs,
    perSecond: rate(record.accepted.length, lastAcceptedMs - firstDueMs),
    drainPerSecond: rate(record.accepted.length, lastAcceptedMs - firstAcceptedMs),
    lateness: spread(lateness),
    boundLateness: spread(boundLateness),
    excessLateness: spread(excess),
    rejections,
    throttled: record.rejected.filter((r) => r.code === THROTTLE_CODE).length,
    acceptedWindows: slidingWindows(acceptedTimes, cap),
    arrivalWindows: slidingWindows([...acceptedTimes, ...record.rejected.map((r) => r.atMs)], cap),
  };
}
