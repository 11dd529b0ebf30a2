import { decideIncentive, monthOf, type IncentiveInput } from '../../../src/engine/incentive';
import type { StepIncentive } from '../../../src/engine/lanes';

const NOW = new Date('2026-11-21T06:30:00.000Z');
const DAY = 86_400_000;

const percent = (amount: number, ceiling: number): StepIncentive => ({
  type: 'percent',
  amount,
  ceiling,
  expires_after: 'P2D',
  minimum_spend: null,
  template_without_incentive: 'cart_reminder_2_text',
});
const fixed = (amount: number, ceiling = amount): StepIncentive => ({ ...percent(0, ceiling), type: 'fixed', amount });

function input(patch: Partial<IncentiveInput> = {}): IncentiveInput {
  return {
    lane: 'abandoned_cart',
    cell: 'treatment',
    incentive: fixed(10_000),
    subjectValue: 250_000,
    budget: { limit: 1_000_000, committed: 0, redeemed: 0 },
    storeAccess: true,
    ...patch,
  };
}

describe('decideIncentive, in its check order', () => {
  it.each<[string, Partial<IncentiveInput>, string | null]>([
    ['no incentive on the step', { incentive: undefined }, null],
    ['payment reminders carry no coupon', { lane: 'payment_recovery' }, null],
    ['the holdout cell gets none', { cell: 'holdout' }, null],
    ['the holdout before the budget', { cell: 'holdout', budget: { limit: 0, committed: 0, redeemed: 0 } }, null],
    ['no store access', { storeAccess: false }, 'incentive_unavailable'],
    [
      'a percent of an empty cart is worth nothing',
      { incentive: percent(10, 5000), subjectValue: 0 },
      'incentive_unavailable',
    ],
    ['budget 0 (the default)', { budget: { limit: 0, committed: 0, redeemed: 0 } }, 'incentive_budget_exhausted'],
    [
      'committed + redeemed leave too little',
      { budget: { limit: 30_000, committed: 10_000, redeemed: 10_001 } },
      'incentive_budget_exhausted',
    ],
  ])('%s → none', (_name, patch, reason) => {
    expect(decideIncentive(input(patch), NOW)).toEqual({ kind: 'none', reason });
  });

  it('offers a fixed_cart coupon of the amount when the budget has exactly room for it', () => {
    const decided = decideIncentive(input({ budget: { limit: 30_000, committed: 10_000, redeemed: 10_000 } }), NOW);
    expect(decided).toEqual({
      kind: 'offer',
      discountType: 'fixed_cart',
      amount: 10_000,
      value: 10_000,
      expiresAt: new Date(NOW.getTime() + 2 * DAY),
      minimumSpend: null,
      maximumSpend: null,
    });
  });

  it('offers a percent coupon worth percent × value (rounded up), capped by a maximum spend at the ceiling', () => {
    const decided = decideIncentive(input({ incentive: percent(10, 50_000), subjectValue: 123_455 }), NOW);
    expect(decided).toMatchObject({
      kind: 'offer',
      discountType: 'percent',
      amount: 10,
      value: 12_346,
      maximumSpend: 500_000,
    });
  });

  it('offers a fixed_cart of the ceiling when the percent would be worth more', () => {
    const decided = decideIncentive(input({ incentive: percent(20, 30_000), subjectValue: 250_000 }), NOW);
    expect(decided).toMatchObject({
      kind: 'offer',
      discountType: 'fixed_cart',
      amount: 30_000,
      value: 30_000,
      maximumSpend: null,
    });
  });

  it('counts the ceiling, not the percent, against the budget when it is capped', () => {
    const budget = { limit: 29_999, committed: 0, redeemed: 0 };
    expect(decideIncentive(input({ incentive: percent(20, 30_000), budget }), NOW)).toEqual({
      kind: 'none',
      reason: 'incentive_budget_exhausted',
    });
  });

  it('expires expires_after from now and carries the minimum spend', () => {
    const incentive = { ...fixed(5_000), expires_after: 'PT6H', minimum_spend: 100_000 };
    expect(decideIncentive(input({ incentive }), NOW)).toMatchObject({
      expiresAt: new Date(NOW.getTime() + 6 * 3_600_000),
      minimumSpend: 100_000,
    });
  });
});

describe('monthOf', () => {
  it('is the month in the store time zone', () => {
    // 2026-11-30T20:00Z is already 1 December in Kolkata (UTC+05:30).
    const m = monthOf(new Date('2026-11-30T20:00:00Z'), 'Asia/Kolkata');
    expect(m).toEqual({
      month: '2026-12',
      start: new Date('2026-11-30T18:30:00Z'),
      end: new Date('2026-12-31T18:30:00Z'),
    });
  });

  it('reads a fixed offset as WordPress gives it', () => {
    expect(monthOf(new Date('2026-03-01T02:00:00Z'), '-03:00').month).toBe('2026-02');
  });
});
