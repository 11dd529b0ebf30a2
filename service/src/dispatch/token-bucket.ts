/**
 * A token bucket per sending number (pure: the caller keeps the state and passes the clock).
 * `ratePerSecond` tokens refill every second, up to `capacity` (one second's worth by default),
 * so at most `capacity + ratePerSecond × t` messages go in any window of t seconds.
 */
export interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export interface BucketConfig {
  ratePerSecond: number;
  capacity?: number;
}

export function fullBucket(config: BucketConfig, nowMs: number): Bucket {
  return { tokens: config.capacity ?? config.ratePerSecond, updatedAtMs: nowMs };
}

function refill(bucket: Bucket, config: BucketConfig, nowMs: number): Bucket {
  const capacity = config.capacity ?? config.ratePerSecond;
  const elapsed = Math.max(0, nowMs - bucket.updatedAtMs);
  return { tokens: Math.min(capacity, bucket.tokens + (elapsed * config.ratePerSecond) / 1000), updatedAtMs: nowMs };
}

/**
 * Takes up to `wanted` whole tokens. Returns how many were granted, the new state, and when the
 * next token will be there (ms from now) if none could be granted.
 */
export function takeTokens(
  bucket: Bucket,
  config: BucketConfig,
  nowMs: number,
  wanted: number,
): { granted: number; bucket: Bucket; waitMs: number } {
  const current = refill(bucket, config, nowMs);
  const granted = Math.max(0, Math.min(wanted, Math.floor(current.tokens)));
  const after = { ...current, tokens: current.tokens - granted };
  const missing = granted > 0 ? 0 : 1 - after.tokens;
  return { granted, bucket: after, waitMs: Math.ceil((missing * 1000) / config.ratePerSecond) };
}

/** Slows a bucket down after the provider said "too fast" (130429): empties it for `pauseMs`. */
export function backOff(bucket: Bucket, config: BucketConfig, nowMs: number, pauseMs: number): Bucket {
  const current = refill(bucket, config, nowMs);
  return { tokens: Math.min(0, current.tokens) - (pauseMs * config.ratePerSecond) / 1000, updatedAtMs: nowMs };
}

/**
 * The bucket for a provider's throughput cap (`limitPerSecond`): at most capacity + rate messages
 * fit in any second, so the rate is 90% of the limit and the burst 3%, which leaves room for the
 * jitter between granting a token and the request reaching the provider. Never a zero rate.
 */
export function bucketForLimit(limitPerSecond: number): Required<BucketConfig> {
  const capacity = Math.max(1, Math.floor(limitPerSecond * 0.03));
  return { capacity, ratePerSecond: Math.max(limitPerSecond * 0.9, 1) };
}
