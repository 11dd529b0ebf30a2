import { defaultLaneSettings } from '../../../src/engine/lane-defaults';
import {
  BROWSE_LANE,
  browseSubjectId,
  planBrowse,
  type BrowseFacts,
  type BrowseVerdict,
  type BrowseView,
} from '../../../src/engine/browse';
import { holdoutCell } from '../../../src/engine/holdout';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const daysAgo = (d: number) => minutesAgo(d * 1440);
const settings = { ...defaultLaneSettings('browse_abandonment'), enabled: true, holdout_percent: 0 };
const SALT = 'browse-salt';

function view(productId: number, minutes: number, over: Partial<BrowseView> = {}): BrowseView {
  return {
    productId,
    viewedAt: minutesAgo(minutes),
    name: `Product ${productId}`,
    price: 1000 + productId,
    currency: 'EUR',
    imageUrl: `https://shop.example/img/${productId}.jpg`,
    url: `https://shop.example/product/${productId}`,
    inStock: true,
    ...over,
  };
}

function facts(views: BrowseView[], over: Partial<BrowseFacts> = {}): BrowseFacts {
  return {
    contactId: 7,
    marketingConsent: true,
    views,
    carts: [],
    orders: [],
    activeLanes: [],
    browseJourneys: [],
    ...over,
  };
}

/** The chosen product, or the reason nothing starts. */
function outcome(verdict: BrowseVerdict): string | number {
  return verdict.kind === 'start' ? verdict.productId : verdict.reason;
}

describe('browse abandonment: whether a journey starts, and about which product (inactivity PT30M, repeat P7D)', () => {
  it.each<[string, BrowseFacts, string | number, Partial<typeof settings>?]>([
    ['viewed 31 minutes ago, nothing since', facts([view(5, 31)]), 5],
    ['viewed exactly 30 minutes ago', facts([view(5, 30)]), 5],
    ['viewed 29 minutes ago: may still be browsing', facts([view(5, 29)]), 'still_browsing'],
    ['viewed 10 minutes ago', facts([view(5, 10)]), 'still_browsing'],
    [
      'viewed A an hour ago and B 10 minutes ago: idle since the LAST view',
      facts([view(5, 60), view(6, 10)]),
      'still_browsing',
    ],
    ['a view stamped in the future counts as browsing now', facts([view(5, 60), view(6, -2)]), 'still_browsing'],
    ['viewed 25 hours ago only: history, not abandonment', facts([view(5, 25 * 60)]), 'no_views'],
    ['no views at all', facts([]), 'no_views'],
    ['the lane is off', facts([view(5, 31)]), 'disabled', { enabled: false }],
    ['no marketing consent', facts([view(5, 31)], { marketingConsent: false }), 'no_consent'],
    ['an active abandoned_cart journey', facts([view(5, 31)], { activeLanes: ['abandoned_cart'] }), 'active_journey'],
    [
      'an active payment_recovery journey',
      facts([view(5, 31)], { activeLanes: ['payment_recovery'] }),
      'active_journey',
    ],
    [
      'an active browse journey (another product)',
      facts([view(5, 31)], { activeLanes: ['browse_abandonment'] }),
      'active_journey',
    ],
    ['an active win-back journey is superseded, not waited for', facts([view(5, 31)], { activeLanes: ['winback'] }), 5],
    [
      'added to a cart after the view',
      facts([view(5, 40)], { carts: [{ productIds: [5], changedAt: minutesAgo(35) }] }),
      'no_product',
    ],
    [
      'already in the cart being built (changed before the view, within the lookback)',
      facts([view(5, 40)], { carts: [{ productIds: [5], changedAt: minutesAgo(120) }] }),
      'no_product',
    ],
    [
      'in a cart last changed two days ago: not this visit',
      facts([view(5, 40)], { carts: [{ productIds: [5], changedAt: daysAgo(2) }] }),
      5,
    ],
    [
      'another product in the cart does not matter',
      facts([view(5, 40)], { carts: [{ productIds: [9], changedAt: minutesAgo(35) }] }),
      5,
    ],
    [
      'bought after the view',
      facts([view(5, 40)], { orders: [{ status: 'processing', productIds: [5], placedAt: minutesAgo(35) }] }),
      'no_product',
    ],
    [
      'ordered and still pending: payment recovery, not browse',
      facts([view(5, 40)], { orders: [{ status: 'wc-pending', productIds: [5], placedAt: minutesAgo(35) }] }),
      'no_product',
    ],
    [
      'a cancelled order is no order',
      facts([view(5, 40)], { orders: [{ status: 'cancelled', productIds: [5], placedAt: minutesAgo(35) }] }),
      5,
    ],
    [
      'bought three days ago: an older purchase does not count',
      facts([view(5, 40)], { orders: [{ status: 'completed', productIds: [5], placedAt: daysAgo(3) }] }),
      5,
    ],
    ['out of stock at its newest view', facts([view(5, 40, { inStock: false })]), 'no_product'],
    [
      'out of stock earlier, back in stock at the newest view',
      facts([view(5, 200, { inStock: false }), view(5, 40)]),
      5,
    ],
    [
      'a browse journey for this product 3 days ago',
      facts([view(5, 40)], { browseJourneys: [{ productId: 5, startedAt: daysAgo(3) }] }),
      'no_product',
    ],
    [
      'a browse journey for this product 8 days ago',
      facts([view(5, 40)], { browseJourneys: [{ productId: 5, startedAt: daysAgo(8) }] }),
      5,
    ],
    [
      'exactly repeat_after ago: the window is over',
      facts([view(5, 40)], { browseJourneys: [{ productId: 5, startedAt: daysAgo(7) }] }),
      5,
    ],
    [
      'a journey about another product began after these views: that visit was handled',
      facts([view(5, 100), view(6, 90)], { browseJourneys: [{ productId: 6, startedAt: minutesAgo(60) }] }),
      'handled',
    ],
    [
      'a view after that journey began is a new visit',
      facts([view(5, 100), view(6, 90), view(5, 40)], {
        browseJourneys: [{ productId: 6, startedAt: minutesAgo(60) }],
      }),
      5,
    ],
    [
      'a new visit to the product of that journey alone: the once-per-product window',
      facts([view(6, 90), view(6, 40)], { browseJourneys: [{ productId: 6, startedAt: minutesAgo(60) }] }),
      'no_product',
    ],
    [
      'a browse journey for another product 3 days ago',
      facts([view(5, 40)], { browseJourneys: [{ productId: 6, startedAt: daysAgo(3) }] }),
      5,
    ],
    [
      'repeat_after P1D: a journey 3 days ago no longer counts',
      facts([view(5, 40)], { browseJourneys: [{ productId: 5, startedAt: daysAgo(3) }] }),
      5,
      { repeat_after: 'P1D' },
    ],
    [
      'inactivity_delay PT1H: 40 minutes is still browsing',
      facts([view(5, 40)]),
      'still_browsing',
      { inactivity_delay: 'PT1H' },
    ],
    // THE CHOICE
    ['most views wins', facts([view(5, 100), view(5, 90), view(6, 40)]), 5],
    ['a tie in views: the newer latest view', facts([view(5, 100), view(6, 40), view(7, 60)]), 6],
    ['a tie in views and time: the lower product id', facts([view(8, 40), view(6, 40)]), 6],
    [
      'views before the lookback are not counted',
      facts([view(5, 30 * 60), view(5, 26 * 60), view(5, 100), view(6, 90), view(6, 80)]),
      6,
    ],
    [
      'the most-viewed product is excluded: the next one',
      facts([view(5, 100), view(5, 90), view(6, 40)], { carts: [{ productIds: [5], changedAt: minutesAgo(80) }] }),
      6,
    ],
  ])('%s', (_name, contact, expected, change = {}) => {
    expect(outcome(planBrowse(contact, { ...settings, ...change }, SALT, NOW))).toBe(expected);
  });

  it('says why each viewed product was left out', () => {
    const verdict = planBrowse(
      facts([view(1, 40), view(2, 45), view(3, 50, { inStock: false }), view(4, 55)], {
        carts: [{ productIds: [1], changedAt: minutesAgo(38) }],
        orders: [{ status: 'completed', productIds: [2], placedAt: minutesAgo(36) }],
        browseJourneys: [{ productId: 4, startedAt: daysAgo(2) }],
      }),
      settings,
      SALT,
      NOW,
    );
    expect(verdict).toEqual({
      kind: 'none',
      reason: 'no_product',
      excluded: [
        { productId: 1, reason: 'carted' },
        { productId: 2, reason: 'bought' },
        { productId: 3, reason: 'out_of_stock' },
        { productId: 4, reason: 'repeat_window' },
      ],
    });
  });

  it('anchors at the chosen product’s newest view, offers it as last seen, step 1 due 30 minutes after', () => {
    const verdict = planBrowse(
      facts([view(5, 50, { price: 900 }), view(5, 45, { price: 1299, name: 'Linen shirt' }), view(6, 35)]),
      settings,
      SALT,
      NOW,
    );
    expect(verdict).toEqual({
      kind: 'start',
      productId: 5,
      views: 2,
      anchorAt: minutesAgo(45),
      nextDueAt: NOW,
      cell: 'treatment',
      offer: {
        currency: 'EUR',
        products: [
          {
            product_id: 5,
            name: 'Linen shirt',
            price: 1299,
            image_url: 'https://shop.example/img/5.jpg',
            url: 'https://shop.example/product/5',
          },
        ],
      },
    });
  });

  it('step 1 is due at the anchor plus its own delay when that is later than now', () => {
    const slow = {
      ...settings,
      steps: [{ ...settings.steps[0]!, delay: 'PT2H' }],
    };
    const verdict = planBrowse(facts([view(5, 40)]), slow, SALT, NOW);
    expect(verdict.kind === 'start' && verdict.nextDueAt).toEqual(new Date(minutesAgo(40).getTime() + 2 * 3600_000));
  });

  it('puts the contact in its sticky holdout cell of this lane', () => {
    const verdicts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((contactId) => {
      const verdict = planBrowse(facts([view(5, 40)], { contactId }), { ...settings, holdout_percent: 50 }, SALT, NOW);
      return verdict.kind === 'start' ? verdict.cell : null;
    });
    expect(verdicts).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => holdoutCell(String(id), BROWSE_LANE, SALT, 50)),
    );
    expect(new Set(verdicts)).toEqual(new Set(['holdout', 'treatment']));
  });

  it('names the subject after the contact and the product', () => {
    expect(browseSubjectId(42, 1234)).toBe('42:1234');
  });
});
