import type { Cell } from './holdout';
import type { StepIncentive } from './lane-types';
import { DateTime } from 'luxon';
import { parseDurationMs } from './durations';
import { luxonZone } from './quiet-hours';

/**
 * Whether a step's message carries a coupon, and which (DESIGN.md, "Links, coupons and
 * attribution"; issue 11, part 2). Pure: plain data and a given `now`.
 *
 * Checks, in order (the first that applies decides):
 *
 * 1. the step offers no incentive → none (reason null);
 * 2. the payment_recovery lane → none (reason null): payment reminders carry no coupon (its
 *    settings refuse one; this is the second fence);
 * 3. the holdout cell → none (reason null): the holdout is the no-message control, a coupon there
 *    would be spent on no one;
 * 4. no store access (no REST key: the coupon cannot be made) → none, `incentive_unavailable`;
 * 5. the discount would be worth nothing (a percent of an empty subject) → none,
 *    `incentive_unavailable`;
 * 6. the coupon's worth does not fit in what is left of the month's budget (limit − committed −
 *    redeemed) → none, `incentive_budget_exhausted`;
 * 7. otherwise an offer.
 *
 * The offer's worth (`value`, the most the coupon can take off, which the budget counts):
 * - fixed: the amount, never above the ceiling (settings make ceiling ≥ amount), as `fixed_cart`;
 * - percent: percent × the subject's value (rounded up), when that is within the ceiling, as
 *   `percent` with a `maximumSpend` (the spend at which the percent reaches the ceiling) so that a
 *   cart grown after the send still cannot take more than the ceiling off; when percent × value
 *   is above the ceiling, a `fixed_cart` of the ceiling instead.
 */

export type IncentiveReason = 'incentive_budget_exhausted' | 'incentive_unavailable';

export interface IncentiveInput {
  lane: string;
  cell: Cell;
  incentive: StepIncentive | undefined;
  /** The cart or offer's worth at live prices, minor units. */
  subjectValue: number;
  /** Minor units: the month's limit, the worth of coupons live now, and of those redeemed this month. */
  budget: { limit: number; committed: number; redeemed: number };
  /** Whether the store's REST API can be called to make the coupon. */
  storeAccess: boolean;
}

export type IncentiveDecision =
  | { kind: 'none'; reason: IncentiveReason | null }
  | {
      kind: 'offer';
      discountType: 'percent' | 'fixed_cart';
      /** The percent as an integer ("10"), or minor units for fixed_cart (formatted by the caller). */
      amount: number;
      /** Minor units: the most it can be worth. */
      value: number;
      expiresAt: Date;
      minimumSpend: number | null;
      /** Percent only: minor units of spend above which the percent would exceed the ceiling. */
      maximumSpend: number | null;
    };

export function decideIncentive(input: IncentiveInput, now: Date): IncentiveDecision {
  const { incentive } = input;
  if (!incentive) return { kind: 'none', reason: null };
  if (input.lane === 'payment_recovery') return { kind: 'none', reason: null };
  if (input.cell === 'holdout') return { kind: 'none', reason: null };
  if (!input.storeAccess) return { kind: 'none', reason: 'incentive_unavailable' };
  const offer = worth(incentive, Math.max(0, input.subjectValue));
  if (offer.value <= 0) return { kind: 'none', reason: 'incentive_unavailable' };
  const { limit, committed, redeemed } = input.budget;
  if (offer.value > limit - committed - redeemed) return { kind: 'none', reason: 'incentive_budget_exhausted' };
  return {
    kind: 'offer',
    ...offer,
    expiresAt: new Date(now.getTime() + parseDurationMs(incentive.expires_after || 'P2D')),
    minimumSpend: incentive.minimum_spend ?? null,
  };
}

function worth(
  incentive: StepIncentive,
  subjectValue: number,
): { discountType: 'percent' | 'fixed_cart'; amount: number; value: number; maximumSpend: number | null } {
  if (incentive.type === 'fixed') {
    const value = Math.min(incentive.amount, incentive.ceiling);
    return { discountType: 'fixed_cart', amount: value, value, maximumSpend: null };
  }
  const value = Math.ceil((incentive.amount * subjectValue) / 100);
  if (value > incentive.ceiling) {
    return { discountType: 'fixed_cart', amount: incentive.ceiling, value: incentive.ceiling, maximumSpend: null };
  }
  return {
    discountType: 'percent',
    amount: incentive.amount,
    value,
    maximumSpend: Math.floor((incentive.ceiling * 100) / incentive.amount),
  };
}

/**
 * The calendar month `now` is in, in `timeZone` (an IANA zone or a fixed offset such as `+05:30`):
 * its start and end (exclusive) as instants, and its name `YYYY-MM`.
 */
export function monthOf(now: Date, timeZone: string): { month: string; start: Date; end: Date } {
  let local = DateTime.fromJSDate(now, { zone: luxonZone(timeZone) });
  if (!local.isValid) local = DateTime.fromJSDate(now, { zone: 'UTC' });
  const start = local.startOf('month');
  return { month: start.toFormat('yyyy-MM'), start: start.toJSDate(), end: start.plus({ months: 1 }).toJSDate() };
}
