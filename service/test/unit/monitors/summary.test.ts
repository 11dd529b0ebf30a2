import { weeklyIncremental } from '../../../src/monitors/summary';

describe("the weekly email's incremental revenue", () => {
  it('states the estimate and its 95% interval in the store currency', () => {
    // Minor units: ₹2,400.00 added, interval ₹300.00 to ₹4,500.00 (rounded to whole paise).
    expect(
      weeklyIncremental({ estimate: 240_000.4, low: 30_000, high: 449_999.6 }, { currency: 'INR', locale: 'en-IN' }),
    ).toEqual({
      estimate: 240_000,
      low: 30_000,
      high: 450_000,
      currency: 'INR',
      text: 'Incremental revenue (against the holdout group): ₹2,400.00, 95% CI ₹300.00 to ₹4,500.00.',
    });
  });

  it('shows an interval that crosses zero as it is, and a currency without minor units whole', () => {
    expect(
      weeklyIncremental({ estimate: 500, low: -1200, high: 2200 }, { currency: 'JPY', locale: 'en-US' }).text,
    ).toBe('Incremental revenue (against the holdout group): ¥500, 95% CI -¥1,200 to ¥2,200.');
  });

  it('says there is not enough data yet when the lift has no interval', () => {
    expect(weeklyIncremental(null, { currency: 'EUR', locale: 'de-DE' })).toEqual({
      estimate: null,
      low: null,
      high: null,
      currency: 'EUR',
      text: 'Incremental revenue (against the holdout group): not enough data yet to compare with the holdout.',
    });
  });
});
