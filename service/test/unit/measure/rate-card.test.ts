import {
  DEFAULT_RATE_CARD,
  messageCostMicros,
  microsToMinor,
  recipientCountry,
  validateRateCard,
} from '../../../src/measure/rate-card';

const card = DEFAULT_RATE_CARD;
const de = { delivered: true, category: 'marketing', country: 'DE', pricing: null };

describe('message cost', () => {
  it('charges a delivered template at the card rate of the recipient country and category', () => {
    expect(messageCostMicros(card, de)).toBe(150_200); // $0.1502, Germany, marketing
    expect(messageCostMicros(card, { ...de, category: 'utility' })).toBe(60_500);
  });

  it('charges nothing for a message that was never delivered', () => {
    expect(messageCostMicros(card, { ...de, delivered: false })).toBe(0);
  });

  it("takes Meta's word from the status webhook where it gave one", () => {
    const billed = (pricing: { billable: boolean | null; category: string | null; type: string | null }) =>
      messageCostMicros(card, { ...de, pricing });
    expect(billed({ billable: false, category: 'marketing', type: null })).toBe(0);
    expect(billed({ billable: true, category: 'marketing', type: 'free_entry_point' })).toBe(0);
    // Meta billed a marketing template as utility (it recategorised it): the utility rate.
    expect(billed({ billable: true, category: 'utility', type: 'regular' })).toBe(60_500);
    expect(billed({ billable: true, category: 'marketing_lite', type: 'regular' })).toBe(150_200);
    // No billable flag: the card decides from the template's category.
    expect(billed({ billable: null, category: null, type: null })).toBe(150_200);
  });

  it('uses the default rate for a country the card does not list', () => {
    expect(messageCostMicros(card, { ...de, country: 'NZ' })).toBe(card.rates.default?.marketing);
    expect(messageCostMicros(card, { ...de, country: null })).toBe(card.rates.default?.marketing);
  });

  it('finds the country from the phone and rounds micros to cents once', () => {
    expect(recipientCountry('+4915112345678')).toBe('DE');
    expect(recipientCountry('+14155550123')).toBe('US');
    expect(microsToMinor(34 * 150_200)).toBe(511); // $5.1068
  });
});

describe('rate card validation', () => {
  const valid = JSON.parse(JSON.stringify(DEFAULT_RATE_CARD)) as Record<string, unknown>;
  it.each([
    [{ ...valid, currency: 'EUR' }, 'currency'],
    [{ ...valid, effective: '1 July' }, 'effective'],
    [{ ...valid, store_currency_per_usd: -1 }, 'store_currency_per_usd'],
    [{ ...valid, rates: { DE: { marketing: 1 } } }, 'rates.default'],
    [{ ...valid, rates: { default: {}, Germany: {} } }, 'rates.Germany'],
    [{ ...valid, rates: { default: { marketing: 1.5 } } }, 'rates.default.marketing'],
    [{ ...valid, rates: { default: { sms: 1 } } }, 'rates.default.sms'],
    [{ ...valid, extra: 1 }, 'extra'],
  ])('refuses %j naming %s', (input, path) => {
    const check = validateRateCard(input);
    expect(check.ok ? null : check.path).toBe(path);
  });

  it('accepts the defaults, and missing categories as free', () => {
    expect(validateRateCard(valid)).toEqual({ ok: true, value: DEFAULT_RATE_CARD });
    const check = validateRateCard({ ...valid, rates: { default: { marketing: 10 } } });
    expect(check.ok && check.value.rates.default).toEqual({ marketing: 10, utility: 0, authentication: 0, service: 0 });
  });
});
