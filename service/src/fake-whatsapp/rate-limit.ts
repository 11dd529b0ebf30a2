/**
 * The fake's throughput cap (a test double of the Cloud API's 80 messages/s per number): at most
 * `limit` accepted sends in any sliding one-second window.
 */
export interface SlidingWindow {
  /** True when fewer than `limit` sends were counted in the second before `now` (ms). */
  hasRoom(limit: number, now: number): boolean;
  /** Counts one send at `now`. */
  take(now: number): void;
  clear(): void;
}

export function slidingWindow(windowMs = 1000): SlidingWindow {
  const taken: number[] = [];
  return {
    hasRoom(limit, now) {
      while (taken.length > 0 && (taken[0] as number) <= now - windowMs) taken.shift();
      return taken.length < limit;
    },
    take(now) {
      taken.push(now);
    },
    clear() {
      taken.length = 0;
    },
  };
}
