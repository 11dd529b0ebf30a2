import { defaultLaneSettings } from '../../src/engine/lane-defaults';
import { createLogger } from '../../src/logger';
import { RecoveryEngine } from '../../src/recovery/engine';
import { saveLaneSettings } from '../../src/recovery/settings';
import { runWinbackPass } from '../../src/recovery/winback/pass';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { insertCart, insertConsent, insertContact, insertJourney, insertOrder, insertView } from '../support/winback';

/**
 * The daily win-back pass on the real database (recovery/winback/pass.ts): a lapsed, consented
 * contact gets one journey with the products of the categories it bought most; a newer order, no
 * consent, an active cart journey or a win-back within 30 days keeps a contact out; a second pass
 * starts nothing. Chunks of 2 contacts, so the keyset pagination is crossed several times.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const settings = { ...defaultLaneSettings('winback'), enabled: true };
const SALT = 'winback-test-salt';

let t: TestDatabase;
const ids: Record<string, number> = {};

async function shopper(name: string, consent: 'granted' | 'withdrawn' | null): Promise<number> {
  const phone = `+3161234${String(Object.keys(ids).length).padStart(4, '0')}`;
  const id = await insertContact(t.db, phone, daysAgo(400));
  if (consent === 'withdrawn') await insertConsent(t.db, id, phone, 'granted', daysAgo(300));
  if (consent) await insertConsent(t.db, id, phone, consent, daysAgo(200));
  ids[name] = id;
  return id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const bought = [
    { product: 1, categories: [10], quantity: 2 },
    { product: 2, categories: [20] },
  ];
  // The one to win back: bought twice in category 10, once in 20, 90 days ago.
  await insertOrder(t.db, await shopper('lapsed', 'granted'), 'completed', daysAgo(90), bought);
  // A cancelled order since is no order.
  await insertOrder(t.db, ids.lapsed!, 'cancelled', daysAgo(10), [{ product: 1, categories: [10] }]);
  // Ordered again since (pending, not paid yet; or paid).
  await insertOrder(t.db, await shopper('pending_since', 'granted'), 'wc-completed', daysAgo(90), bought);
  await insertOrder(t.db, ids.pending_since!, 'pending', daysAgo(10), bought);
  await insertOrder(t.db, await shopper('paid_since', 'granted'), 'processing', daysAgo(90), bought);
  await insertOrder(t.db, ids.paid_since!, 'processing', daysAgo(20), bought);
  // Too recent: 59 days.
  await insertOrder(t.db, await shopper('recent', 'granted'), 'completed', daysAgo(59), bought);
  // No consent, or withdrawn.
  await insertOrder(t.db, await shopper('never_consented', null), 'completed', daysAgo(90), bought);
  await insertOrder(t.db, await shopper('withdrawn', 'withdrawn'), 'completed', daysAgo(90), bought);
  // An active cart journey.
  await insertOrder(t.db, await shopper('in_cart_journey', 'granted'), 'completed', daysAgo(90), bought);
  await insertJourney(t.db, ids.in_cart_journey!, 'abandoned_cart', 'active', daysAgo(0.1));
  // A win-back 20 days ago (done), and one 40 days ago (done: another may start).
  await insertOrder(t.db, await shopper('winback_20d', 'granted'), 'completed', daysAgo(120), bought);
  await insertJourney(t.db, ids.winback_20d!, 'winback', 'completed', daysAgo(20));
  await insertOrder(t.db, await shopper('winback_40d', 'granted'), 'completed', daysAgo(120), [
    { product: 3, categories: [20] },
  ]);
  await insertJourney(t.db, ids.winback_40d!, 'winback', 'completed', daysAgo(40));

  // The candidate pool: what the store showed in the last 30 days.
  await insertOrder(t.db, await shopper('recent_buyer', 'granted'), 'completed', daysAgo(5), [
    { product: 1, categories: [10] },
    { product: 101, categories: [10] },
    { product: 102, categories: [10] },
    { product: 103, categories: [20] },
  ]);
  await insertCart(t.db, 'pool-cart', daysAgo(2), [{ product: 102, categories: [10] }]);
  // Viewed, but out of stock when last seen; and one in a category the shopper never bought.
  await insertView(t.db, 104, ['Category 10'], false, daysAgo(1));
  await insertView(t.db, 105, ['Category 30'], true, daysAgo(1));
  // Seen 40 days ago only: not in the pool.
  await insertCart(t.db, 'old-cart', daysAgo(40), [{ product: 106, categories: [10] }]);
});

afterAll(async () => {
  await t.drop();
});

async function winbackJourneys() {
  return t.db
    .selectFrom('enrollments')
    .selectAll()
    .where('lane', '=', 'winback')
    .where('state', '=', 'active')
    .orderBy('contact_id')
    .execute();
}

it('enrolls the lapsed, consented contacts, and only them, with the products of their categories', async () => {
  const result = await runWinbackPass(t.db, 1, settings, SALT, NOW, { chunkSize: 2 });
  const journeys = await winbackJourneys();
  expect(journeys.map((j) => j.contact_id)).toEqual([ids.lapsed, ids.winback_40d]);
  expect(result.started).toBe(2);
  expect(result.chunks).toBeGreaterThan(2);

  const lapsed = journeys[0]!;
  expect(lapsed).toMatchObject({
    subject_kind: 'winback',
    subject_id: String(ids.lapsed),
    episode_at: new Date('2026-06-15T00:00:00.000Z'),
    next_step: 0,
    next_due_at: NOW,
  });
  // Category 10 first (bought twice), the product seen most in it first, never product 1 (bought),
  // nor 104 (out of stock), nor 105 (a category never bought), nor 106 (not seen lately).
  const offer = JSON.parse(lapsed.offer as string) as { products: { product_id: number; name: string }[] };
  expect(offer.products.map((p) => p.product_id)).toEqual([102, 101, 103]);
  expect(offer.products[0]).toMatchObject({
    name: 'Product 102',
    price: 1102,
    image_url: 'https://shop.example/img/102.jpg',
  });
  const winback40 = JSON.parse(journeys[1]!.offer as string) as { products: { product_id: number }[] };
  // It bought only product 3, in category 20: product 2 (in two recent orders of others) before 103.
  expect(winback40.products.map((p) => p.product_id)).toEqual([2, 103]);

  const history = await t.db
    .selectFrom('enrollment_history')
    .select(['enrollment_id', 'kind'])
    .where('enrollment_id', 'in', [lapsed.id, journeys[1]!.id])
    .execute();
  expect(history.map((h) => h.kind)).toEqual(['enrolled', 'enrolled']);
  expect(result.skipped).toMatchObject({ no_consent: 2, active_journey: 1, repeat_window: 1 });
});

it('a second pass the same day starts nobody new; nor, once those journeys are over, one within 30 days', async () => {
  const before = await winbackJourneys();
  const again = await runWinbackPass(t.db, 1, settings, SALT, new Date(NOW.getTime() + 3600_000), { chunkSize: 2 });
  expect(again.started).toBe(0);
  expect(await winbackJourneys()).toEqual(before);

  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('lane', '=', 'winback')
    .execute();
  const in29Days = await runWinbackPass(t.db, 1, settings, SALT, new Date(NOW.getTime() + 29 * 86_400_000));
  expect(in29Days.started).toBe(0);
  expect(in29Days.skipped.repeat_window).toBe(2);
  // Thirty days on the repeat window is over (no product was seen lately enough to offer, though).
  const in30Days = await runWinbackPass(t.db, 1, settings, SALT, new Date(NOW.getTime() + 30 * 86_400_000));
  expect(in30Days.skipped.repeat_window).toBeUndefined();
});

it('a disabled lane starts nothing', async () => {
  const off = await runWinbackPass(
    t.db,
    1,
    defaultLaneSettings('winback'),
    SALT,
    new Date(NOW.getTime() + 40 * 86_400_000),
  );
  expect(off).toMatchObject({ started: 0, chunks: 0 });
});

it('the engine runs the pass once a day, from WINBACK_HOUR in the store zone, with the stored settings', async () => {
  const later = (days: number, utc: string) =>
    new Date(`${new Date(NOW.getTime() + days * 86_400_000).toISOString().slice(0, 10)}T${utc}Z`);
  const engine = new RecoveryEngine({
    db: t.db,
    storeId: 1,
    logger: createLogger('silent'),
    store: { timeZone: 'Asia/Kolkata', currency: 'INR', locale: 'en' },
    secret: () => 'unused-secret-0123456789abcdefghij',
    winbackHour: 10,
  });
  // Sixty days on: every earlier win-back is over, and a fresh order fills the pool.
  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('lane', '=', 'winback')
    .execute();
  await insertOrder(t.db, null, 'completed', later(59, '12:00:00'), [
    { product: 201, categories: [10] },
    { product: 202, categories: [20] },
  ]);
  // Stored disabled (the default): the pass runs and starts nothing.
  expect(await engine.winbackIfDue(later(59, '04:30:00'))).toMatchObject({ started: 0, chunks: 0 });
  await saveLaneSettings(t.db, 1, 'winback', settings, NOW);
  // 09:59 in Kolkata (04:29 UTC): not yet; 10:00: the pass; later that day: not again.
  expect(await engine.winbackIfDue(later(60, '04:29:00'))).toBeNull();
  const pass = await engine.winbackIfDue(later(60, '04:30:00'));
  expect(pass?.started).toBeGreaterThan(0);
  expect(await engine.winbackIfDue(later(60, '18:00:00'))).toBeNull();
  const journeys = await winbackJourneys();
  expect(journeys.map((j) => j.contact_id)).toContain(ids.lapsed);
  expect(journeys.map((j) => j.episode_at)).toEqual(
    journeys.map(() => new Date(`${later(60, '00:00:00').toISOString()}`)),
  );
  // The next local day it runs again; those journeys are still active, so nobody new starts.
  expect(await engine.winbackIfDue(later(61, '04:30:00'))).toMatchObject({ started: 0 });
  expect(await winbackJourneys()).toHaveLength(journeys.length);
});
