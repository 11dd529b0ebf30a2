import { defaultLaneSettings, validateLaneSettings, type LaneName, type LaneSettings } from '../../../src/engine/lanes';

/** A step's incentive (issue 11, part 2): validated like the rest, the field at fault named. */

const INCENTIVE = {
  type: 'fixed',
  amount: 10_000,
  ceiling: 10_000,
  expires_after: 'P2D',
  minimum_spend: null,
  template_without_incentive: 'cart_reminder_2_text',
};

function withIncentive(lane: LaneName, incentive: unknown, index = 1): unknown {
  const settings = JSON.parse(JSON.stringify(defaultLaneSettings(lane))) as LaneSettings & Record<string, unknown>;
  const step = settings.steps[Math.min(index, settings.steps.length - 1)] as unknown as Record<string, unknown>;
  step.incentive = incentive;
  return settings;
}

describe('a step incentive', () => {
  it('is accepted as the contract says, and defaults expires_after and minimum_spend', () => {
    const { expires_after: _e, minimum_spend: _m, ...bare } = INCENTIVE;
    const result = validateLaneSettings('abandoned_cart', withIncentive('abandoned_cart', bare));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.steps[1]?.incentive).toEqual({ ...bare, expires_after: 'P2D', minimum_spend: null });
    }
  });

  it('is accepted as a percent in browse and win-back steps', () => {
    const percent = { ...INCENTIVE, type: 'percent', amount: 15, ceiling: 50_000, minimum_spend: 100_000 };
    expect(validateLaneSettings('browse_abandonment', withIncentive('browse_abandonment', percent, 0)).ok).toBe(true);
    expect(validateLaneSettings('winback', withIncentive('winback', percent, 0)).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a percent over 90', { type: 'percent', amount: 95 }, 'steps[1].incentive.amount', 'less than or equal to 90'],
    ['a fractional percent', { type: 'percent', amount: 12.5 }, 'steps[1].incentive.amount', 'integer'],
    ['a fixed amount of 0', { amount: 0 }, 'steps[1].incentive.amount', 'greater than or equal to 1'],
    ['a fixed amount as a string', { amount: '100' }, 'steps[1].incentive.amount', 'number'],
    ['a ceiling below the fixed amount', { ceiling: 5_000 }, 'steps[1].incentive.ceiling', 'at least the amount'],
    ['no ceiling', { ceiling: undefined }, 'steps[1].incentive.ceiling', 'required'],
    ['an unknown type', { type: 'bogo' }, 'steps[1].incentive.type', 'must be one of'],
    [
      'an expiry under an hour',
      { expires_after: 'PT30M' },
      'steps[1].incentive.expires_after',
      'between PT1H and P30D',
    ],
    ['an expiry over 30 days', { expires_after: 'P31D' }, 'steps[1].incentive.expires_after', 'between PT1H and P30D'],
    [
      'a negative minimum spend',
      { minimum_spend: -1 },
      'steps[1].incentive.minimum_spend',
      'greater than or equal to 0',
    ],
    [
      'no template without it',
      { template_without_incentive: undefined },
      'steps[1].incentive.template_without_incentive',
      'required',
    ],
  ])('refuses %s, naming the field', (_name, patch, path, message) => {
    const result = validateLaneSettings('abandoned_cart', withIncentive('abandoned_cart', { ...INCENTIVE, ...patch }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.path).toBe(path);
      expect(result.message).toContain(message);
    }
  });

  it('is refused on a payment reminder: payment reminders carry no coupon', () => {
    const result = validateLaneSettings('payment_recovery', withIncentive('payment_recovery', INCENTIVE, 0));
    expect(result).toEqual({
      ok: false,
      path: 'steps[0].incentive',
      message: 'steps[0].incentive is not allowed: payment reminders carry no coupon',
    });
  });

  it('is in no default lane', () => {
    for (const lane of ['abandoned_cart', 'browse_abandonment', 'payment_recovery', 'winback'] as const) {
      expect(defaultLaneSettings(lane).steps.some((s) => s.incentive)).toBe(false);
    }
  });
});
