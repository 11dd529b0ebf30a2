import { newcombeDifference, requiredTotal, welchDifference, wilson } from '../../../src/measure/lift';
import { tCdf, tQuantile } from '../../../src/measure/t-dist';
import { laneLift } from '../../../src/measure/verdict';

/** Σx and Σx² of a list, as the SQL adapter hands them over. */
function sums(values: number[]): { n: number; sum: number; squares: number } {
  return { n: values.length, sum: values.reduce((a, b) => a + b, 0), squares: values.reduce((a, b) => a + b * b, 0) };
}

describe('Student t quantile', () => {
  // Expected: scipy.stats.t.ppf(0.975, df) (SciPy 1.17), an independent implementation (Boost).
  it.each([
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [5, 2.5705818356363146],
    [5.882352941176471, 2.458823709699146],
    [10, 2.228138851986274],
    [30, 2.0422724563012378],
    [120, 1.9799304050824402],
    [1e6, 1.959966356814107],
  ])('t(0.975, %p) = %p', (df, expected) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(expected, 8);
  });

  it('is symmetric and agrees with the CDF (scipy.stats.t.cdf(1.5, 3.7) = 0.8932009153989933)', () => {
    expect(tQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 8);
    expect(tCdf(1.5, 3.7)).toBeCloseTo(0.8932009153989933, 10);
  });
});

describe('Newcombe hybrid score interval (method 10)', () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10, examples (a), (b),
  // (d), (e), (f); the same figures recomputed from scipy.stats.binomtest(...).proportion_ci('wilson')
  // combined as L = d − √((p₁−l₁)² + (u₂−p₂)²), U = d + √((u₁−p₁)² + (p₂−l₂)²).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
  ])('%p/%p − %p/%p: %p to %p', (x1, n1, x2, n2, low, high) => {
    const interval = newcombeDifference(x1, n1, x2, n2);
    expect(interval?.low).toBeCloseTo(low, 4);
    expect(interval?.high).toBeCloseTo(high, 4);
  });

  it('Wilson 56/70 is 0.69183 to 0.87695 (scipy binomtest wilson)', () => {
    const w = wilson(56, 70);
    expect(w.low).toBeCloseTo(0.6918335550374693, 10);
    expect(w.high).toBeCloseTo(0.8769526075163704, 10);
  });

  it('has no interval for an empty cell', () => {
    expect(newcombeDifference(0, 0, 1, 10)).toBeNull();
  });
});

describe('Welch interval for revenue per contact', () => {
  it('[3,4,5,6,7] vs [1,2,3]: 0.75541 to 5.24459, df 5.88235', () => {
    // By hand: means 5 and 2, variances 2.5 and 1; SE² = 2.5/5 + 1/3 = 0.833333;
    // ν = 0.833333² / (0.5²/4 + 0.333333²/2) = 5.882353; t(0.975, ν) = 2.458824;
    // 3 ± 2.458824 × 0.912871. scipy.stats.ttest_ind(equal_var=False).confidence_interval(0.95)
    // gives (0.7554113154487392, 5.24458868455126), df 5.882352941176469.
    const interval = welchDifference(sums([3, 4, 5, 6, 7]), sums([1, 2, 3]));
    expect(interval?.estimate).toBe(3);
    expect(interval?.low).toBeCloseTo(0.7554113154487392, 6);
    expect(interval?.high).toBeCloseTo(5.24458868455126, 6);
    expect(interval?.df).toBeCloseTo(5.882352941176469, 6);
  });

  it('revenue in minor units: 20 of 200 paid $50 vs 5 of 100 paid $40', () => {
    // scipy.stats.ttest_ind([5000]*20+[0]*180, [4000]*5+[0]*95, equal_var=False):
    // difference 300, CI (28.829185108536194, 571.1708148914638), df 291.16205325212724.
    const treated = [...Array<number>(20).fill(5000), ...Array<number>(180).fill(0)];
    const holdout = [...Array<number>(5).fill(4000), ...Array<number>(95).fill(0)];
    const interval = welchDifference(sums(treated), sums(holdout));
    expect(interval?.estimate).toBe(300);
    expect(interval?.low).toBeCloseTo(28.829185108536194, 5);
    expect(interval?.high).toBeCloseTo(571.1708148914638, 5);
    expect(interval?.df).toBeCloseTo(291.16205325212724, 5);
  });

  it('needs two contacts per cell', () => {
    expect(welchDifference(sums([1]), sums([1, 2]))).toBeNull();
  });
});

describe('sample size (two proportions, 80 % power, 5 % two-sided)', () => {
  // n₂ = (Φ⁻¹(0.975) + Φ⁻¹(0.8))² (p₁q₁/k + p₂q₂)/δ², total = n₂(1 + k); computed with
  // scipy.stats.norm.ppf: 0.07 vs 0.05, k = 9 → n₂ = 1073.988 → 10,740; 0.12 vs 0.10, k = 1 → 3838.10 → 7,677.
  it.each([
    [0.07, 0.05, 9, 10740],
    [0.12, 0.1, 1, 7677],
  ])('%p vs %p, ratio %p: %p carts', (p1, p2, k, total) => {
    expect(requiredTotal(p1, p2, p1 - p2, k)).toBe(total);
  });
});

describe('verdict in plain words', () => {
  const cell = (enrolled: number, converted: number, revenue = 0, revenueSquares = 0) => ({
    enrolled,
    converted,
    revenue,
    revenueSquares,
  });

  it('a clear lift: the messages work', () => {
    // 56/70 vs 48/80 (Newcombe's example (a)): +20.0 points, 95% CI +5.2 to +33.4.
    const lift = laneLift(cell(70, 56), cell(80, 48), 'USD', 'en');
    expect(lift.verdict.kind).toBe('works');
    expect(lift.verdict.text).toBe('+20.0 points, 95% CI +5.2 to +33.4: the messages work');
  });

  it('an interval spanning zero with few carts: not enough data, about N more carts', () => {
    // 130/1000 vs 10/100: +3.0 points, CI −4.7 to +8.0 (scipy, as above). Planning effect 3 points
    // at baseline 10 %: p₁ = 0.13, p₂ = 0.10, k = 10: n₂ = 7.849 × (0.1131/10 + 0.09)/0.0009 = 883.6,
    // total ⌈883.52 × 11⌉ = ⌈9,718.7⌉ = 9,719, minus the 1,100 enrolled: 8,619 more.
    const lift = laneLift(cell(1000, 130), cell(100, 10), 'USD', 'en');
    expect(lift.verdict.kind).toBe('not_enough_data');
    expect(lift.verdict.text).toBe(
      '+3.0 points, 95% CI -4.7 to +8.0: not enough data yet: about 8,619 more carts needed',
    );
    expect(lift.verdict.moreCarts).toBe(8619);
  });

  it('too few contacts in a cell: not enough data, whatever the figures', () => {
    const lift = laneLift(cell(20, 10), cell(5, 0), 'USD', 'en');
    expect(lift.verdict.kind).toBe('not_enough_data');
    expect(lift.verdict.text).toMatch(/^not enough data yet: about [\d,]+ more carts needed$/);
  });

  it('formats revenue per contact in the store currency and locale', () => {
    const treated = cell(200, 20, 20 * 5000, 20 * 5000 * 5000);
    const holdout = cell(100, 5, 5 * 4000, 5 * 4000 * 4000);
    const lift = laneLift(treated, holdout, 'EUR', 'de-DE');
    // 300 cents = 3,00 €, CI 28.83 → 0,29 € and 571.17 → 5,71 € (Welch, above).
    // German puts a no-break space (U+00A0) between the amount and the sign.
    expect(lift.verdict.revenueText).toBe('+3,00\u00a0€ per contact, 95% CI +0,29\u00a0€ to +5,71\u00a0€');
    expect(lift.incrementalRevenue?.estimate).toBe(300 * 200);
  });
});
