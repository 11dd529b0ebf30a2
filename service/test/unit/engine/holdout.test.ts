import { createHash } from 'node:crypto';
import { holdoutBucket, holdoutCell } from '../../../src/engine/holdout';

const keys = Array.from({ length: 20_000 }, (_, i) => `contact-${i}`);
const share = (cells: string[]): number => (100 * cells.filter((c) => c === 'holdout').length) / cells.length;

describe('holdoutCell', () => {
  it('is sticky: the same contact, lane and salt always land in the same cell', () => {
    for (const key of keys.slice(0, 500)) {
      const cell = holdoutCell(key, 'abandoned_cart', 'salt-1', 10);
      expect(holdoutCell(key, 'abandoned_cart', 'salt-1', 10)).toBe(cell);
    }
  });

  it('is the documented hash, so cells survive a restart or a rewrite', () => {
    // First 48 bits of SHA-256("salt:lane:contact") modulo 10,000.
    for (const key of ['+919812345678', 'contact-42', '17']) {
      const digest = createHash('sha256').update(`s3cret:abandoned_cart:${key}`).digest('hex');
      const expected = Number(BigInt(`0x${digest.slice(0, 12)}`) % 10_000n);
      expect(holdoutBucket(key, 'abandoned_cart', 's3cret')).toBe(expected);
      expect(holdoutCell(key, 'abandoned_cart', 's3cret', 10)).toBe(expected < 1000 ? 'holdout' : 'treatment');
    }
  });

  it('never holds anyone out at 0 %', () => {
    expect(keys.map((k) => holdoutCell(k, 'abandoned_cart', 'salt-1', 0))).not.toContain('holdout');
  });

  it.each([10, 25, 50])('holds out %i % of 20,000 contacts, give or take 1.5 points', (percent) => {
    const cells = keys.map((k) => holdoutCell(k, 'abandoned_cart', 'salt-1', percent));
    expect(Math.abs(share(cells) - percent)).toBeLessThanOrEqual(1.5);
  });

  it('only moves contacts from treatment to holdout when the percentage rises', () => {
    for (const key of keys.slice(0, 5_000)) {
      if (holdoutCell(key, 'abandoned_cart', 'salt-1', 10) === 'holdout') {
        expect(holdoutCell(key, 'abandoned_cart', 'salt-1', 20)).toBe('holdout');
      }
    }
  });

  it.each([
    [
      'lanes',
      (k: string) => holdoutCell(k, 'abandoned_cart', 'salt-1', 10),
      (k: string) => holdoutCell(k, 'winback', 'salt-1', 10),
    ],
    [
      'salts',
      (k: string) => holdoutCell(k, 'abandoned_cart', 'salt-1', 10),
      (k: string) => holdoutCell(k, 'abandoned_cart', 'salt-2', 10),
    ],
  ])('assigns independently across %s: about 10 % × 10 % are held out in both', (_what, a, b) => {
    const both = keys.filter((k) => a(k) === 'holdout' && b(k) === 'holdout').length;
    const bothPercent = (100 * both) / keys.length;
    expect(bothPercent).toBeGreaterThan(0.6);
    expect(bothPercent).toBeLessThan(1.4);
  });

  it('refuses a percentage outside 0–100 and an empty contact key', () => {
    expect(() => holdoutCell('c', 'abandoned_cart', 's', 101)).toThrow(RangeError);
    expect(() => holdoutCell('c', 'abandoned_cart', 's', -1)).toThrow(RangeError);
    expect(() => holdoutCell('c', 'abandoned_cart', 's', Number.NaN)).toThrow(RangeError);
    expect(() => holdoutCell('', 'abandoned_cart', 's', 10)).toThrow('contact key');
  });

  it('honours two decimals: 10.1 % is 1,010 buckets', () => {
    const key = keys
      .concat(Array.from({ length: 200_000 }, (_, i) => `extra-${i}`))
      .find((k) => holdoutBucket(k, 'abandoned_cart', 'salt-1') === 1009);
    if (key === undefined) throw new Error('no sample key falls in bucket 1009');
    expect(holdoutCell(key, 'abandoned_cart', 'salt-1', 10)).toBe('treatment');
    expect(holdoutCell(key, 'abandoned_cart', 'salt-1', 10.1)).toBe('holdout');
  });
});
