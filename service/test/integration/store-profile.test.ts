import { saveLaneSettings } from '../../src/recovery/settings';
import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';
import { laneSettings, journal } from '../support/journey';
import { testEngine, useFakeStore } from '../support/store';

/**
 * The plugin's store.updated, taken in over HTTP, decides the engine's quiet hours, money and
 * store name; the configuration (here UTC, USD, en) only stands in until it arrives.
 */
const t = useTestApp();
const fake = useFakeStore();
let n = 0;

const engine = () => testEngine(t.db);
/** store.updated as the plugin sends it, its routes at the fake store. */
const storeUpdated = (data: Parameters<typeof event<'store.updated'>>[1], at: string) =>
  event('store.updated', { api_url: fake.store.apiUrl, ...data }, at);

/** A consenting shopper whose cart was last changed at `at`; returns the cart key. */
async function cartAt(at: string): Promise<string> {
  n++;
  const phone = `+9198765${String(44000 + n).padStart(5, '0')}`;
  const cartKey = `profile-cart-${n}`;
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, at),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined }, at),
      event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, at),
    ),
  );
  expect(reply.status).toBe(200);
  return cartKey;
}

beforeAll(async () => {
  await saveLaneSettings(
    t.db,
    1,
    'abandoned_cart',
    laneSettings({ quiet_hours: { start: '21:00', end: '09:00' } }),
    new Date(),
  );
});

describe('the store profile from store.updated', () => {
  it('keeps the newest report whatever order the reports arrive in', async () => {
    const newer = storeUpdated({ time_zone: 'Asia/Kolkata' }, '2026-11-21T10:15:00Z');
    const older = storeUpdated({ time_zone: 'Europe/Lisbon', name: 'Old name' }, '2026-11-21T09:00:00Z');
    expect((await signedPost(t.base, '/v1/events', batch(newer))).status).toBe(200);
    expect((await signedPost(t.base, '/v1/events', batch(older))).status).toBe(200);
    const store = await t.db.selectFrom('stores').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(store).toMatchObject({
      name: 'Helivex Handlooms',
      timezone: 'Asia/Kolkata',
      currency: 'INR',
      locale: 'en_IN',
      api_url: fake.store.apiUrl,
      placeholder_image_url: 'https://shop.example/wp-content/uploads/woocommerce-placeholder.png',
      profile_event_id: newer.id,
    });
  });

  it('reads quiet hours in the store time zone: 13:25 IST goes, 22:00 IST waits for 09:00 IST', async () => {
    // 13:00 IST: the cart is left; at 13:25 IST step 1 is due and goes (13:25 is night in no zone west of UTC+5).
    const day = await cartAt('2026-11-21T07:30:00Z');
    await engine().tick(new Date('2026-11-21T07:55:00Z'));
    let j = await journal(t.db, day);
    expect(j.messages).toHaveLength(1);
    expect(j.messages[0]).toMatchObject({ state: 'queued', template: 'cart_reminder_1' });

    // 21:40 IST: left; at 22:00 IST (16:30 UTC, no quiet hour in UTC) it waits until 09:00 IST.
    const asked = () => fake.store.calls.filter((c) => c.route === 'orders').length;
    expect(asked()).toBe(1);
    const night = await cartAt('2026-11-21T16:10:00Z');
    await engine().tick(new Date('2026-11-21T16:30:00Z'));
    // At night the step waits without asking the store.
    expect(asked()).toBe(1);
    j = await journal(t.db, night);
    expect(j.messages).toHaveLength(0);
    expect(j.enrollment.next_due_at).toEqual(new Date('2026-11-22T03:30:00Z'));
    expect(j.history.at(-1)).toMatchObject({ kind: 'deferred', reason: 'quiet_hours' });
    await engine().tick(new Date('2026-11-22T03:30:00Z'));
    j = await journal(t.db, night);
    expect(j.messages.map((m) => m.template)).toEqual(['cart_reminder_1']);
    // Step 2 (4 h after the cart, already past) keeps its 3 h 45 min from step 1: never two at once.
    expect(j.enrollment.next_due_at).toEqual(new Date('2026-11-22T07:15:00Z'));
  });

  it('reads a fixed offset (+05:30) as WordPress reports a store set to UTC+5:30', async () => {
    const report = storeUpdated({ time_zone: '+05:30' }, '2026-11-21T11:00:00Z');
    expect((await signedPost(t.base, '/v1/events', batch(report))).status).toBe(200);
    const night = await cartAt('2026-11-23T16:10:00Z');
    await engine().tick(new Date('2026-11-23T16:30:00Z'));
    const j = await journal(t.db, night);
    expect(j.messages).toHaveLength(0);
    expect(j.enrollment.next_due_at).toEqual(new Date('2026-11-24T03:30:00Z'));
  });
});
