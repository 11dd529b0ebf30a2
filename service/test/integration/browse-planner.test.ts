import { createDb, type Db } from '../../src/db/database';
import { withTransaction } from '../../src/db/transaction';
import { defaultLaneSettings } from '../../src/engine/lane-defaults';
import { BROWSE_LANE, planBrowseEnrollments } from '../../src/recovery/browse/plan';
import { enroll, type EnrollmentStart } from '../../src/recovery/enroll';
import { insertBrowseJourney, insertContactCart, insertContactView } from '../support/browse';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { insertConsent, insertContact, insertJourney, insertOrder } from '../support/winback';

/**
 * The browse-abandonment planner on the real database (recovery/browse/plan.ts): a consented,
 * known shopper who viewed a product and left gets one journey about it 30 minutes after the
 * last view; still browsing, a cart or an order with the product, no consent, an active cart
 * journey, or a journey about the same product within 7 days keeps them out. Two planners
 * racing start each journey once; a second pass starts nothing.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const daysAgo = (d: number) => minutesAgo(d * 1440);
const settings = { ...defaultLaneSettings('browse_abandonment'), enabled: true, holdout_percent: 0 };
const SALT = 'browse-test-salt';

let t: TestDatabase;
let other: Db;
const ids: Record<string, number> = {};

async function shopper(name: string, consent: 'granted' | 'withdrawn' | null = 'granted'): Promise<number> {
  const phone = `+3162234${String(Object.keys(ids).length).padStart(4, '0')}`;
  const id = await insertContact(t.db, phone, daysAgo(100));
  if (consent === 'withdrawn') await insertConsent(t.db, id, phone, 'granted', daysAgo(90));
  if (consent) await insertConsent(t.db, id, phone, consent, daysAgo(80));
  ids[name] = id;
  return id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  other = createDb(t.url);
  await insertContactView(t.db, await shopper('viewed_31m'), 501, minutesAgo(31));
  await insertContactView(t.db, await shopper('viewed_10m'), 501, minutesAgo(10));
  // Viewed another product 10 minutes ago: still browsing.
  await insertContactView(t.db, await shopper('still_browsing'), 501, minutesAgo(60));
  await insertContactView(t.db, ids.still_browsing!, 502, minutesAgo(10));
  await insertContactView(t.db, await shopper('carted'), 501, minutesAgo(40));
  await insertContactCart(t.db, ids.carted!, 'cart-carted', minutesAgo(35), [{ product: 501, categories: [] }]);
  await insertContactView(t.db, await shopper('bought'), 501, minutesAgo(40));
  await insertOrder(t.db, ids.bought!, 'processing', minutesAgo(35), [{ product: 501, categories: [] }]);
  await insertContactView(t.db, await shopper('never_consented', null), 501, minutesAgo(40));
  await insertContactView(t.db, await shopper('withdrawn', 'withdrawn'), 501, minutesAgo(40));
  await insertContactView(t.db, await shopper('in_cart_journey'), 501, minutesAgo(40));
  await insertJourney(t.db, ids.in_cart_journey!, 'abandoned_cart', 'active', minutesAgo(50));
  await insertContactView(t.db, await shopper('browsed_3d_ago'), 501, minutesAgo(40));
  await insertBrowseJourney(t.db, ids.browsed_3d_ago!, 501, 'completed', daysAgo(3));
  await insertContactView(t.db, await shopper('browsed_8d_ago'), 501, minutesAgo(40));
  await insertBrowseJourney(t.db, ids.browsed_8d_ago!, 501, 'completed', daysAgo(8));
  await insertContactView(t.db, await shopper('out_of_stock'), 501, minutesAgo(40), false);
  await insertContactView(t.db, await shopper('yesterday'), 501, minutesAgo(25 * 60));
  // Two products: 601 viewed twice, 602 once and later: the most viewed is chosen.
  await insertContactView(t.db, await shopper('two_products'), 601, minutesAgo(90));
  await insertContactView(t.db, ids.two_products!, 601, minutesAgo(80));
  await insertContactView(t.db, ids.two_products!, 602, minutesAgo(45));
  // A win-back journey under way is superseded by the browse journey.
  await insertContactView(t.db, await shopper('in_winback'), 501, minutesAgo(40));
  await insertJourney(t.db, ids.in_winback!, 'winback', 'active', daysAgo(1));
  // An anonymous view is nobody's.
  await insertContactView(t.db, null, 501, minutesAgo(40));
});

afterAll(async () => {
  await other.destroy();
  await t.drop();
});

function browseJourneys() {
  return t.db
    .selectFrom('enrollments')
    .selectAll()
    .where('lane', '=', BROWSE_LANE)
    .where('created_at', '=', NOW)
    .orderBy('contact_id')
    .execute();
}

it('two planners at once start one journey for each shopper who left a product, and only for them', async () => {
  const [a, b] = await Promise.all([
    planBrowseEnrollments(t.db, 1, settings, SALT, NOW),
    planBrowseEnrollments(other, 1, settings, SALT, NOW),
  ]);
  const journeys = await browseJourneys();
  expect(journeys.map((j) => j.contact_id)).toEqual([
    ids.viewed_31m,
    ids.browsed_8d_ago,
    ids.two_products,
    ids.in_winback,
  ]);
  expect(a + b).toBe(4);

  expect(journeys[0]).toMatchObject({
    subject_kind: 'product',
    subject_id: `${ids.viewed_31m}:501`,
    episode_at: minutesAgo(31),
    anchor_at: minutesAgo(31),
    // The anchor plus step 1's 30 minutes has passed: due now.
    next_due_at: NOW,
    next_step: 0,
    state: 'active',
    cell: 'treatment',
  });
  expect(JSON.parse(journeys[0]!.offer as string)).toEqual({
    currency: 'EUR',
    products: [
      {
        product_id: 501,
        name: 'Product 501',
        price: 1501,
        image_url: 'https://shop.example/img/501.jpg',
        url: 'https://shop.example/product/501',
      },
    ],
  });
  expect(journeys[2]).toMatchObject({ subject_id: `${ids.two_products}:601`, anchor_at: minutesAgo(80) });

  const winback = await t.db
    .selectFrom('enrollments')
    .select(['state', 'stop_reason'])
    .where('contact_id', '=', ids.in_winback!)
    .where('lane', '=', 'winback')
    .executeTakeFirstOrThrow();
  expect(winback).toEqual({ state: 'stopped', stop_reason: 'superseded' });
});

it('a second pass starts nothing, nor one once those journeys are over', async () => {
  expect(await planBrowseEnrollments(t.db, 1, settings, SALT, new Date(NOW.getTime() + 60_000))).toBe(0);
  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('lane', '=', BROWSE_LANE)
    .execute();
  expect(await planBrowseEnrollments(t.db, 1, settings, SALT, new Date(NOW.getTime() + 5 * 60_000))).toBe(0);
  expect(await browseJourneys()).toHaveLength(4);
});

it('the shoppers who were still browsing get theirs once idle for 30 minutes', async () => {
  const later = new Date(NOW.getTime() + 21 * 60_000);
  expect(await planBrowseEnrollments(t.db, 1, settings, SALT, later)).toBe(2);
  const started = await t.db
    .selectFrom('enrollments')
    .select(['contact_id', 'subject_id'])
    .where('lane', '=', BROWSE_LANE)
    .where('created_at', '=', later)
    .orderBy('contact_id')
    .execute();
  // viewed_10m: product 501; still_browsing: 501 and 502 once each, 502 the newer.
  expect(started).toEqual([
    { contact_id: ids.viewed_10m, subject_id: `${ids.viewed_10m}:501` },
    { contact_id: ids.still_browsing, subject_id: `${ids.still_browsing}:502` },
  ]);
});

it('enroll() checks the once-per-window rule again under the lock, over the window it is given', async () => {
  const contactId = ids.browsed_3d_ago!;
  const start: EnrollmentStart = {
    storeId: 1,
    lane: BROWSE_LANE,
    contactId,
    subject: { kind: 'product', id: `${contactId}:501`, episodeAt: minutesAgo(40) },
    cell: 'treatment',
    anchorAt: minutesAgo(40),
    nextDueAt: NOW,
  };
  const guarded = await withTransaction(t.db, (trx) =>
    enroll(trx, { ...start, notIfSince: { since: daysAgo(7) } }, NOW),
  );
  expect(guarded).toMatchObject({ kind: 'repeated' });
  // The journey 3 days ago is older than a 2-day window.
  const narrower = await withTransaction(t.db, (trx) =>
    enroll(trx, { ...start, notIfSince: { since: daysAgo(2) } }, NOW),
  );
  expect(narrower).toMatchObject({ kind: 'started' });
});

it('enroll() refuses a second journey for the same visit, about another product, under the lock', async () => {
  // two_products got its journey about 601 at NOW, for views up to 80 minutes before; it has ended.
  const contactId = ids.two_products!;
  const start: EnrollmentStart = {
    storeId: 1,
    lane: BROWSE_LANE,
    contactId,
    subject: { kind: 'product', id: `${contactId}:602`, episodeAt: minutesAgo(45) },
    cell: 'treatment',
    anchorAt: minutesAgo(45),
    nextDueAt: NOW,
  };
  const sameVisit = await withTransaction(t.db, (trx) =>
    enroll(trx, { ...start, notIfSince: { since: daysAgo(7), anySubjectFrom: minutesAgo(45) } }, NOW),
  );
  expect(sameVisit).toMatchObject({ kind: 'repeated' });
  const laterVisit = await withTransaction(t.db, (trx) =>
    enroll(trx, { ...start, notIfSince: { since: daysAgo(7), anySubjectFrom: new Date(NOW.getTime() + 1) } }, NOW),
  );
  expect(laterVisit).toMatchObject({ kind: 'started' });
});
