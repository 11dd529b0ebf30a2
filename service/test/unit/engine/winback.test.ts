import { defaultLaneSettings } from '../../../src/engine/lane-defaults';
import {
  categoryAffinity,
  chooseProducts,
  lapseOf,
  orderSummary,
  planWinback,
  winbackEpisode,
  type CandidateProduct,
  type PurchasedLine,
  type WinbackContactFacts,
  type WinbackOrder,
} from '../../../src/engine/winback';
import { winbackPassDue } from '../../../src/engine/winback-schedule';

const NOW = new Date('2026-06-15T06:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const settings = { ...defaultLaneSettings('winback'), enabled: true };

function facts(orders: WinbackOrder[], over: Partial<WinbackContactFacts> = {}): WinbackContactFacts {
  return {
    contactId: 7,
    marketingConsent: true,
    ...orderSummary(orders),
    lastWinbackAt: null,
    activeLanes: [],
    ...over,
  };
}

describe('win-back: who has lapsed (lapse_after P60D, repeat_after P30D)', () => {
  const paid = (d: number, status = 'completed'): WinbackOrder => ({ status, placedAt: daysAgo(d) });

  it.each<[string, WinbackContactFacts, string]>([
    ['last paid order 61 days ago, nothing since', facts([paid(61)]), 'lapsed'],
    ['exactly 60 days ago', facts([paid(60)]), 'lapsed'],
    ['processing counts as paid, wc- prefix and case ignored', facts([paid(90, 'WC-Processing')]), 'lapsed'],
    ['59 days ago: too recent', facts([paid(59)]), 'too_recent'],
    ['a newer paid order', facts([paid(200), paid(10)]), 'too_recent'],
    ['a pending order since the last paid one', facts([paid(90), paid(70, 'pending')]), 'ordered_since'],
    ['a failed order since', facts([paid(90), paid(80, 'failed')]), 'ordered_since'],
    ['an order with no status since', facts([paid(90), paid(80, null as unknown as string)]), 'ordered_since'],
    ['a cancelled order since is no order', facts([paid(90), paid(80, 'cancelled')]), 'lapsed'],
    ['a checkout draft since is no order', facts([paid(90), paid(5, 'checkout-draft')]), 'lapsed'],
    ['only refunded orders: nothing bought and kept', facts([paid(90, 'refunded')]), 'no_paid_order'],
    ['only pending orders', facts([paid(90, 'pending')]), 'no_paid_order'],
    ['never ordered', facts([]), 'no_paid_order'],
    ['no marketing consent', facts([paid(90)], { marketingConsent: false }), 'no_consent'],
    ['win-back 29 days ago', facts([paid(120)], { lastWinbackAt: daysAgo(29) }), 'repeat_window'],
    ['win-back exactly 30 days ago', facts([paid(120)], { lastWinbackAt: daysAgo(30) }), 'lapsed'],
    ['an active cart journey', facts([paid(90)], { activeLanes: ['abandoned_cart'] }), 'active_journey'],
    ['an active win-back journey', facts([paid(90)], { activeLanes: ['winback'] }), 'active_journey'],
  ])('%s', (_name, contact, expected) => {
    const verdict = lapseOf(contact, settings, NOW);
    expect(verdict.kind === 'lapsed' ? 'lapsed' : verdict.reason).toBe(expected);
  });

  it('lapses lapse_after after the last paid order; a changed setting moves it', () => {
    expect(lapseOf(facts([paid(61)]), settings, NOW)).toEqual({
      kind: 'lapsed',
      lastPaidAt: daysAgo(61),
      lapsedAt: daysAgo(1),
    });
    expect(lapseOf(facts([paid(61)]), { ...settings, lapse_after: 'P90D' }, NOW)).toEqual({
      kind: 'not_lapsed',
      reason: 'too_recent',
    });
  });
});

const line = (productId: number, categoryIds: number[], quantity = 1, d = 100): PurchasedLine => ({
  productId,
  quantity,
  categoryIds,
  placedAt: daysAgo(d),
});
const product = (productId: number, categoryIds: number[], over: Partial<CandidateProduct> = {}): CandidateProduct => ({
  productId,
  name: `P${productId}`,
  price: 1000 + productId,
  imageUrl: `https://shop.example/p${productId}.jpg`,
  url: `https://shop.example/p/${productId}`,
  categoryIds,
  inStock: true,
  seen: 1,
  ...over,
});

describe('win-back: category affinity and the products chosen', () => {
  it('ranks categories by quantity bought, then the newer purchase, then the lower id', () => {
    expect(categoryAffinity([line(1, [10], 1), line(2, [20], 3), line(3, [30, 10], 1)])).toEqual([20, 10, 30]);
    // 40 and 50 tie on quantity: the newer purchase first.
    expect(categoryAffinity([line(1, [40], 1, 200), line(2, [50], 1, 100)])).toEqual([50, 40]);
    // Same quantity and time: the lower id.
    expect(categoryAffinity([line(1, [60, 50], 1)])).toEqual([50, 60]);
  });

  const bought = [line(1, [10], 3), line(2, [20], 1)];

  it.each<[string, CandidateProduct[], number, number[]]>([
    [
      'the most bought category first, popularity then id within it',
      [product(5, [20]), product(6, [10]), product(7, [10], { seen: 5 }), product(8, [10])],
      3,
      [7, 6, 8],
    ],
    ['never a product already bought', [product(1, [10]), product(2, [20]), product(9, [20])], 3, [9]],
    ['never one out of stock', [product(5, [10], { inStock: false }), product(6, [20])], 3, [6]],
    ['never one outside the contact categories', [product(5, [99]), product(6, [20])], 3, [6]],
    ['at most max_products', [product(5, [10]), product(6, [10]), product(7, [20])], 2, [5, 6]],
    ['a product in several categories counts under its best one', [product(5, [20, 10]), product(4, [20])], 3, [5, 4]],
    ['nothing fits: none', [product(5, [99])], 3, []],
  ])('%s', (_name, pool, max, expected) => {
    const chosen = chooseProducts(bought, pool, max);
    expect(chosen.map((p) => p.product_id)).toEqual(expected);
    // The pool's order does not matter.
    expect(chooseProducts(bought, [...pool].reverse(), max)).toEqual(chosen);
  });

  it('keeps what the message needs of each product', () => {
    expect(chooseProducts(bought, [product(5, [10])], 3)).toEqual([
      {
        product_id: 5,
        name: 'P5',
        price: 1005,
        image_url: 'https://shop.example/p5.jpg',
        url: 'https://shop.example/p/5',
        category_id: 10,
      },
    ]);
  });
});

describe('win-back: the journey planned', () => {
  const pool = [product(5, [10])];
  const contact = { contactId: 7, lapsedAt: daysAgo(40), lines: [line(1, [10])] };

  it('starts now for a contact who lapsed long ago, in the pass day episode, with the products', () => {
    const plan = planWinback(settings, contact, pool, 'salt', NOW);
    expect(plan).toMatchObject({
      anchorAt: new Date(NOW.getTime() - 3600_000),
      nextDueAt: NOW,
      episodeAt: new Date('2026-06-15T00:00:00.000Z'),
      cell: 'treatment',
    });
    expect(plan?.products.map((p) => p.product_id)).toEqual([5]);
  });

  it('is due one hour (the first step) after a lapse that just happened', () => {
    const lapsedAt = new Date(NOW.getTime() - 10 * 60_000);
    const plan = planWinback(settings, { ...contact, lapsedAt }, pool, 'salt', NOW);
    expect(plan?.anchorAt).toEqual(lapsedAt);
    expect(plan?.nextDueAt).toEqual(new Date(lapsedAt.getTime() + 3600_000));
  });

  it('starts nothing when the lane is off or no product fits', () => {
    expect(planWinback({ ...settings, enabled: false }, contact, pool, 'salt', NOW)).toBeNull();
    expect(planWinback(settings, contact, [product(9, [99])], 'salt', NOW)).toBeNull();
  });

  it('one episode per UTC day', () => {
    expect(winbackEpisode(new Date('2026-06-15T23:59:59.999Z'))).toEqual(new Date('2026-06-15T00:00:00.000Z'));
    expect(winbackEpisode(new Date('2026-06-16T00:00:00.000Z'))).toEqual(new Date('2026-06-16T00:00:00.000Z'));
  });
});

describe('win-back: the daily pass, at the configured local hour in the store zone', () => {
  it.each<[string, string, number, string | null, string | null]>([
    // 06:00 UTC is 11:30 in Kolkata.
    ['2026-06-15T06:00:00Z', 'Asia/Kolkata', 10, null, '2026-06-15'],
    ['2026-06-15T06:00:00Z', 'Asia/Kolkata', 12, null, null],
    ['2026-06-15T06:00:00Z', 'Asia/Kolkata', 10, '2026-06-15', null],
    ['2026-06-15T06:00:00Z', 'Asia/Kolkata', 10, '2026-06-14', '2026-06-15'],
    // 02:00 UTC is still the 14th in São Paulo (23:00): the pass of the 14th is due.
    ['2026-06-15T02:00:00Z', 'America/Sao_Paulo', 10, '2026-06-13', '2026-06-14'],
    ['2026-06-15T12:59:00Z', 'America/Sao_Paulo', 10, '2026-06-14', null],
    ['2026-06-15T13:00:00Z', 'America/Sao_Paulo', 10, '2026-06-14', '2026-06-15'],
    ['2026-06-15T09:59:00Z', 'UTC', 10, null, null],
    ['2026-06-15T10:00:00Z', 'Not/AZone', 10, null, '2026-06-15'],
  ])('at %s in %s, hour %d, last run %s: %s', (now, zone, hour, last, expected) => {
    expect(winbackPassDue(new Date(now), zone, hour, last)).toBe(expected);
  });
});
