import { backOff, bucketForLimit, fullBucket, takeTokens, type Bucket } from '../../../src/dispatch/token-bucket';

const config = { ratePerSecond: 80 };

describe('token bucket', () => {
  it('grants a full second of messages at once, then refills at the rate', () => {
    let bucket = fullBucket(config, 0);
    const first = takeTokens(bucket, config, 0, 200);
    expect(first.granted).toBe(80);
    bucket = first.bucket;
    const none = takeTokens(bucket, config, 0, 1);
    expect(none.granted).toBe(0);
    expect(none.waitMs).toBe(13); // 1/80 s, rounded up
    expect(takeTokens(bucket, config, 500, 100).granted).toBe(40);
  });

  it.each([80, 1000])('keeps every sliding second at or under a %i/s provider limit, whatever the asks', (limit) => {
    const config = bucketForLimit(limit);
    let bucket: Bucket = fullBucket(config, 0);
    const grants: Array<[number, number]> = [];
    for (let now = 0; now <= 10_000; now += 7) {
      const r = takeTokens(bucket, config, now, 1 + (now % 13) * Math.ceil(limit / 80));
      bucket = r.bucket;
      if (r.granted) grants.push([now, r.granted]);
    }
    for (let start = 0; start <= 9_000; start += 1) {
      const inWindow = grants.filter(([t]) => t >= start && t < start + 1000).reduce((n, [, g]) => n + g, 0);
      expect(inWindow).toBeLessThanOrEqual(limit);
    }
    // …and still uses at least 85% of it over ten seconds.
    const total = grants.reduce((n, [, g]) => n + g, 0);
    expect(total).toBeGreaterThanOrEqual(limit * 10 * 0.85);
  });

  it('goes quiet for the pause after a "too fast" answer', () => {
    const bucket = backOff(fullBucket(config, 0), config, 0, 1000);
    expect(takeTokens(bucket, config, 999, 1).granted).toBe(0);
    expect(takeTokens(bucket, config, 1013, 1).granted).toBe(1);
  });
});
