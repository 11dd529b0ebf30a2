import { formatCount, formatMoney, formatPoints } from './format';
import { newcombeDifference, requiredTotal, welchDifference, type CellFacts, type Interval } from './lift';

/**
 * One lane's lift and its verdict in plain words. The rule, checked in this order:
 *
 * 1. Either cell has fewer than {@link MIN_PER_CELL} enrolled contacts: `not_enough_data`.
 * 2. The conversion interval lies above 0: `works` ("+3.1 points, 95% CI +1.2 to +5.0: the messages work").
 * 3. It lies below 0: `hurts`.
 * 4. It spans 0, and fewer carts were enrolled than {@link requiredTotal} needs to detect the
 *    planning effect: `not_enough_data`, with about how many more carts.
 * 5. Else `no_difference`: enough carts to see the planning effect, and none is seen.
 *
 * The planning effect is the observed difference, but never under {@link MIN_EFFECT} (smaller
 * lifts are not worth waiting for); the baseline rate is the holdout's, or {@link DEFAULT_BASELINE}
 * while the holdout has no conversions yet.
 */
export const MIN_PER_CELL = 30;
export const MIN_EFFECT = 0.02;
export const DEFAULT_BASELINE = 0.05;

export type VerdictKind = 'works' | 'hurts' | 'no_difference' | 'not_enough_data';

export interface LaneLift {
  treated: CellFacts;
  holdout: CellFacts;
  /** Treated rate − holdout rate (fractions), Newcombe's interval; null when a cell is empty. */
  conversion: Interval | null;
  /** Treated − holdout mean revenue per enrolled contact (minor units), Welch's interval. */
  revenuePerContact: (Interval & { df: number }) | null;
  /** revenuePerContact × treated contacts: revenue the messages added (minor units). */
  incrementalRevenue: Interval | null;
  verdict: { kind: VerdictKind; text: string; revenueText: string | null; moreCarts: number | null };
}

function carts(n: number, locale: string): string {
  return `about ${formatCount(n, locale)} more carts needed`;
}

export function laneLift(treated: CellFacts, holdout: CellFacts, currency: string, locale: string): LaneLift {
  const conversion = newcombeDifference(treated.converted, treated.enrolled, holdout.converted, holdout.enrolled);
  const revenuePerContact = welchDifference(
    { n: treated.enrolled, sum: treated.revenue, squares: treated.revenueSquares },
    { n: holdout.enrolled, sum: holdout.revenue, squares: holdout.revenueSquares },
  );
  const incrementalRevenue = revenuePerContact
    ? {
        estimate: revenuePerContact.estimate * treated.enrolled,
        low: revenuePerContact.low * treated.enrolled,
        high: revenuePerContact.high * treated.enrolled,
      }
    : null;
  const pH = holdout.enrolled > 0 && holdout.converted > 0 ? holdout.converted / holdout.enrolled : DEFAULT_BASELINE;
  const effect = Math.max(Math.abs(conversion?.estimate ?? 0), MIN_EFFECT);
  const ratio = holdout.enrolled > 0 && treated.enrolled > 0 ? treated.enrolled / holdout.enrolled : 9;
  const needed = requiredTotal(Math.min(0.99, pH + effect), pH, effect, ratio);
  const more = Math.max(0, needed - treated.enrolled - holdout.enrolled);
  const revenueText = revenuePerContact
    ? `${formatMoney(Math.round(revenuePerContact.estimate), currency, locale, true)} per contact, 95% CI ` +
      `${formatMoney(Math.round(revenuePerContact.low), currency, locale, true)} to ` +
      `${formatMoney(Math.round(revenuePerContact.high), currency, locale, true)}`
    : null;
  const base = { treated, holdout, conversion, revenuePerContact, incrementalRevenue };
  if (!conversion || treated.enrolled < MIN_PER_CELL || holdout.enrolled < MIN_PER_CELL) {
    const moreCarts = Math.max(more, 1);
    return {
      ...base,
      verdict: {
        kind: 'not_enough_data',
        text: `not enough data yet: ${carts(moreCarts, locale)}`,
        revenueText,
        moreCarts,
      },
    };
  }
  const range = `${formatPoints(conversion.estimate, locale)} points, 95% CI ${formatPoints(conversion.low, locale)} to ${formatPoints(conversion.high, locale)}`;
  if (conversion.low > 0) {
    return { ...base, verdict: { kind: 'works', text: `${range}: the messages work`, revenueText, moreCarts: null } };
  }
  if (conversion.high < 0) {
    return {
      ...base,
      verdict: {
        kind: 'hurts',
        text: `${range}: fewer contacts buy with the messages than without`,
        revenueText,
        moreCarts: null,
      },
    };
  }
  if (more > 0) {
    return {
      ...base,
      verdict: {
        kind: 'not_enough_data',
        text: `${range}: not enough data yet: ${carts(more, locale)}`,
        revenueText,
        moreCarts: more,
      },
    };
  }
  return {
    ...base,
    verdict: { kind: 'no_difference', text: `${range}: no measurable difference`, revenueText, moreCarts: null },
  };
}
