import { tQuantile } from './t-dist';

/**
 * Lift (DESIGN.md, "Links, coupons and attribution"): conversion rate and revenue per enrolled
 * contact in the treated cell minus the holdout cell, each with a 95 % confidence interval, and a
 * verdict in plain words. Pure functions of per-cell aggregates (the SQL adapter sums them).
 *
 * - Difference of two proportions: Newcombe's hybrid score interval, method 10 of Newcombe (1998),
 *   "Interval estimation for the difference between independent proportions", Statistics in
 *   Medicine 17:873–890: the Wilson score interval (no continuity correction) of each proportion,
 *   combined as L = d − √((p₁−l₁)² + (u₂−p₂)²), U = d + √((u₁−p₁)² + (p₂−l₂)²).
 * - Difference of mean revenue per enrolled contact: Welch's t interval, d ± t(0.975, ν)·SE with
 *   SE² = s₁²/n₁ + s₂²/n₂ and the Welch–Satterthwaite ν = SE⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1));
 *   the t quantile from measure/t-dist.ts.
 */

/** z for a two-sided 95 % interval, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;
/** z for 80 % power, Φ⁻¹(0.80). */
export const Z80 = 0.8416212335729143;

/** One cell's aggregates: contacts enrolled, of them converted, and revenue per contact summed (minor units). */
export interface CellFacts {
  enrolled: number;
  converted: number;
  /** Σ revenue per enrolled contact, minor units. */
  revenue: number;
  /** Σ (revenue per enrolled contact)², for the variance. */
  revenueSquares: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Wilson's score interval for x successes of n (n > 0), 95 %. */
export function wilson(x: number, n: number, z = Z95): Interval {
  const p = x / n;
  const z2 = z * z;
  const centre = 2 * n * p + z2;
  const spread = z * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  return {
    estimate: p,
    low: Math.max(0, (centre - spread) / denominator),
    high: Math.min(1, (centre + spread) / denominator),
  };
}

/** Newcombe's method 10 interval for x₁/n₁ − x₂/n₂; null when either n is 0. */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2),
    high: d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2),
  };
}

/** Sample variance (n − 1 denominator) from n, Σx and Σx². */
export function sampleVariance(n: number, sum: number, squares: number): number {
  if (n < 2) return 0;
  return Math.max(0, (squares - (sum * sum) / n) / (n - 1));
}

/**
 * Welch's 95 % interval for mean₁ − mean₂ from each group's n, Σx and Σx²; null when a group has
 * fewer than 2. With both variances 0 the interval is the point itself (nothing varies).
 */
export function welchDifference(
  a: { n: number; sum: number; squares: number },
  b: { n: number; sum: number; squares: number },
): (Interval & { df: number }) | null {
  if (a.n < 2 || b.n < 2) return null;
  const d = a.sum / a.n - b.sum / b.n;
  const va = sampleVariance(a.n, a.sum, a.squares) / a.n;
  const vb = sampleVariance(b.n, b.sum, b.squares) / b.n;
  const se2 = va + vb;
  if (se2 === 0) return { estimate: d, low: d, high: d, df: a.n + b.n - 2 };
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const half = tQuantile(0.975, df) * Math.sqrt(se2);
  return { estimate: d, low: d - half, high: d + half, df };
}

/**
 * Contacts per cell needed to detect a difference `delta` between rates p₁ and p₂ at a two-sided
 * 5 % level with 80 % power — the normal approximation for two proportions,
 * n₂ = (z₀.₉₇₅ + z₀.₈₀)² · (p₁q₁/k + p₂q₂) / δ², n₁ = k·n₂, where k = n₁/n₂ is the treated-to-
 * holdout ratio (Fleiss, Statistical Methods for Rates and Proportions, ch. 4, without continuity
 * correction). Returns the total (n₁ + n₂), rounded up.
 */
export function requiredTotal(p1: number, p2: number, delta: number, ratio: number): number {
  const k = ratio > 0 && Number.isFinite(ratio) ? ratio : 1;
  const nHoldout = ((Z95 + Z80) ** 2 * ((p1 * (1 - p1)) / k + p2 * (1 - p2))) / (delta * delta);
  return Math.ceil(nHoldout * (1 + k));
}
