import { createHash } from 'node:crypto';

/**
 * Holdout assignment (DESIGN.md, "Links, coupons and attribution"): a contact's cell in a lane is a
 * hash of (salt, lane, contact), so it is sticky (the same contact always lands in the same cell
 * of a lane, across carts and restarts), needs no storage to be reproduced, and is independent
 * between lanes and between salts (a new salt reshuffles everyone). Pure computation.
 */

export type Cell = 'holdout' | 'treatment';

/** Buckets per 100 %: a percentage is honoured to two decimals (10.25 % = 1,025 buckets). */
export const HOLDOUT_BUCKETS = 10_000;

/**
 * The contact's bucket in [0, 10000): the first 48 bits of SHA-256(`${salt}:${lane}:${contactKey}`)
 * modulo 10,000 (the modulo bias, under 10⁻¹⁰, is negligible).
 */
export function holdoutBucket(contactKey: string, lane: string, salt: string): number {
  const digest = createHash('sha256').update(`${salt}:${lane}:${contactKey}`, 'utf8').digest();
  return digest.readUIntBE(0, 6) % HOLDOUT_BUCKETS;
}

/**
 * `holdout` when the contact's bucket is below `percent` × 100, else `treatment`. `contactKey` must
 * be stable for the contact (e.g. its id or E.164 phone), never a cart or session key. Raising the
 * percentage only moves treatment contacts into holdout, never the reverse.
 * Throws a RangeError for an empty key or lane, or a percentage outside 0–100.
 */
export function holdoutCell(contactKey: string, lane: string, salt: string, percent: number): Cell {
  if (contactKey === '') throw new RangeError('holdoutCell needs a contact key');
  if (lane === '') throw new RangeError('holdoutCell needs a lane');
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`Holdout percentage must be from 0 to 100, not ${percent}`);
  }
  // Rounded so that 10.1 % is 1010 buckets, not 1009.9999999999999.
  const threshold = Math.round(percent * (HOLDOUT_BUCKETS / 100));
  return holdoutBucket(contactKey, lane, salt) < threshold ? 'holdout' : 'treatment';
}
