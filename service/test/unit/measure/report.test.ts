import { csvField, csvRecord } from '../../../src/measure/csv';
import { maskPhone } from '../../../src/measure/mask';
import { buckets } from '../../../src/measure/period';
import { figuresBy, type Facts } from '../../../src/measure/report';

describe('figures per lane', () => {
  const facts: Facts = {
    enrollments: [
      { lane: 'abandoned_cart', bucket: 0, cell: 'treatment', enrolled: 90, optedOut: 2 },
      { lane: 'abandoned_cart', bucket: 0, cell: 'holdout', enrolled: 10, optedOut: 0 },
    ],
    messages: [
      {
        lane: 'abandoned_cart',
        step: 0,
        template: 't1',
        bucket: 0,
        sent: 90,
        delivered: 85,
        read: 50,
        failed: 5,
        clicked: 20,
        costMicros: 85 * 150_200,
      },
    ],
    attributions: [
      { lane: 'abandoned_cart', step: 0, template: 't1', bucket: 0, kind: 'recovered', orders: 6, amount: 60_000 },
      { lane: 'abandoned_cart', step: 0, template: 't1', bucket: 0, kind: 'influenced', orders: 2, amount: 9_000 },
    ],
    incentives: [{ lane: 'abandoned_cart', step: 0, template: 't1', bucket: 0, redeemed: 3_000 }],
  };

  it('nets recovered revenue of incentives and message cost in a USD store', () => {
    // 85 × $0.1502 = $12.767 → 1277 cents; net 60000 − 3000 − 1277 = 55723.
    const lane = figuresBy(facts, { storePerUsd: 1, storeDigits: 2 }, (k) => k.lane).get('abandoned_cart');
    expect(lane).toMatchObject({
      enrolled_treated: 90,
      enrolled_holdout: 10,
      opt_outs: 2,
      conversions: 8,
      recovered_revenue: 60_000,
      influenced_revenue: 9_000,
      incentive_cost: 3_000,
      message_cost_usd: 1277,
      message_cost: 1277,
      net: 55_723,
    });
  });

  it('converts at the admin’s rate, and nets nothing without one', () => {
    // EUR store at 0.9 EUR per USD: 12.767 × 0.9 = 11.4903 EUR → 1149 cents.
    const eur = figuresBy(facts, { storePerUsd: 0.9, storeDigits: 2 }, (k) => k.lane).get('abandoned_cart');
    expect(eur).toMatchObject({ message_cost_usd: 1277, message_cost: 1149, net: 60_000 - 3_000 - 1149 });
    const none = figuresBy(facts, { storePerUsd: null, storeDigits: 2 }, (k) => k.lane).get('abandoned_cart');
    expect(none).toMatchObject({
      message_cost_usd: 1277,
      message_cost: null,
      net: null,
      net_before_message_cost: 57_000,
    });
  });
});

describe('periods in the store time zone', () => {
  it('starts days at the store’s midnight (India, +05:30)', () => {
    const list = buckets(new Date('2026-11-10T00:00:00Z'), new Date('2026-11-12T00:00:00Z'), 'day', 'Asia/Kolkata');
    expect(list.map((b) => [b.label, b.start.toISOString()])).toEqual([
      ['2026-11-10', '2026-11-09T18:30:00.000Z'],
      ['2026-11-11', '2026-11-10T18:30:00.000Z'],
      ['2026-11-12', '2026-11-11T18:30:00.000Z'],
    ]);
  });

  it('starts weeks on Monday and months across a clock change (Berlin)', () => {
    const weeks = buckets(new Date('2026-11-04T12:00:00Z'), new Date('2026-11-10T00:00:00Z'), 'week', 'Europe/Berlin');
    expect(weeks.map((b) => b.label)).toEqual(['2026-11-02', '2026-11-09']);
    const months = buckets(
      new Date('2026-10-15T00:00:00Z'),
      new Date('2026-11-15T00:00:00Z'),
      'month',
      'Europe/Berlin',
    );
    // October starts at +02:00 (summer time), November at +01:00.
    expect(months.map((b) => b.start.toISOString())).toEqual(['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z']);
  });
});

describe('CSV (RFC 4180, formula-safe)', () => {
  it('quotes commas, quotes and line breaks, and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+491511234')).toBe("'+491511234");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-500)).toBe('-500');
    expect(csvField(null)).toBe('');
    expect(csvRecord(['a', 1, true, null])).toBe('a,1,true,\r\n');
  });

  it('masks phones for lists and exports', () => {
    expect(maskPhone('+4915112345678')).toBe('+49•••••••••78');
  });
});
