import type { LaneSettings } from '../../src/engine/lanes';
import { batch, event } from '../support/events';
import { signedPost, signedRequest, useTestApp } from '../support/http';
import { laneSettings, journal } from '../support/journey';
import { testEngine, useFakeStore } from '../support/store';

/**
 * Changing a lane's settings (PUT /v1/admin/lanes/:lane) re-plans the journeys already under way:
 * a step deferred under the old quiet hours is decided again at once, changed delays apply, and
 * a journey past the new last step ends. The store is in Kolkata (store.updated); a fixed clock.
 */
const t = useTestApp();
const fake = useFakeStore();
let n = 0;
const MINUTE = 60_000;
const later = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE);

const put = async (settings: LaneSettings) => {
  const reply = await signedRequest(t.base, 'PUT', '/v1/admin/lanes/abandoned_cart', JSON.stringify(settings));
  expect(reply.status).toBe(200);
};

async function cartAt(at: Date): Promise<string> {
  n++;
  const phone = `+9198765${String(47000 + n).padStart(5, '0')}`;
  const cartKey = `replan-cart-${n}`;
  const iso = at.toISOString();
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, iso),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined }, iso),
      event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, iso),
    ),
  );
  expect(reply.status).toBe(200);
  return cartKey;
}

beforeAll(async () => {
  const report = event(
    'store.updated',
    { api_url: fake.store.apiUrl, time_zone: 'Asia/Kolkata' },
    '2026-11-01T00:00:00Z',
  );
  expect((await signedPost(t.base, '/v1/events', batch(report))).status).toBe(200);
});
afterEach(async () => {
  await t.db
    .updateTable('enrollments')
    .set({ state: 'completed', next_due_at: null })
    .where('state', '=', 'active')
    .execute();
});

it('decides a step deferred under the old quiet hours again at once under the new ones', async () => {
  await put(laneSettings({ quiet_hours: { start: '21:00', end: '09:00' } }));
  // Left at 21:40 IST; at 22:00 IST step 1 waits for 09:00 IST.
  const at = new Date('2026-11-21T16:10:00Z');
  const cartKey = await cartAt(at);
  await testEngine(t.db).tick(new Date('2026-11-21T16:30:00Z'));
  let j = await journal(t.db, cartKey);
  expect(j.enrollment.next_due_at).toEqual(new Date('2026-11-22T03:30:00Z'));
  expect(j.messages).toEqual([]);

  // The admin moves quiet hours to 23:00–07:00: at 22:00 IST the step may go.
  await put(laneSettings({ quiet_hours: { start: '23:00', end: '07:00' } }));
  j = await journal(t.db, cartKey);
  expect(j.enrollment.next_due_at).toEqual(later(at, 15));
  expect(j.history.at(-1)).toMatchObject({
    kind: 'replanned',
    step: 0,
    detail: `lane settings changed; step 1 now due ${later(at, 15).toISOString()}`,
  });
  await testEngine(t.db).tick(new Date('2026-11-21T16:30:05Z'));
  j = await journal(t.db, cartKey);
  expect(j.messages).toMatchObject([{ state: 'queued', step: 0, template: 'cart_reminder_1' }]);
});

it('applies changed delays to the steps still to come, keeping them apart from the step that went', async () => {
  await put(laneSettings());
  const at = new Date('2026-11-23T06:00:00Z');
  const cartKey = await cartAt(at);
  await testEngine(t.db).tick(later(at, 16));
  let j = await journal(t.db, cartKey);
  expect(j.messages).toHaveLength(1);
  // Step 2 was due 4 h after the cart (3 h 45 min after step 1, which went at 16 minutes).
  expect(j.enrollment.next_due_at).toEqual(later(at, 241));

  const sooner = laneSettings();
  sooner.steps[1]!.delay = 'PT2H';
  await put(sooner);
  j = await journal(t.db, cartKey);
  expect(j.enrollment.next_due_at).toEqual(later(at, 121));
  await testEngine(t.db).tick(later(at, 121));
  expect((await journal(t.db, cartKey)).messages.map((m) => m.template)).toEqual([
    'cart_reminder_1',
    'cart_reminder_2',
  ]);
});

it('completes a journey whose next step the new settings no longer have', async () => {
  await put(laneSettings());
  const at = new Date('2026-11-24T06:00:00Z');
  const cartKey = await cartAt(at);
  await testEngine(t.db).tick(later(at, 16));
  const single = laneSettings();
  single.steps = single.steps.slice(0, 1);
  await put(single);
  const j = await journal(t.db, cartKey);
  expect(j.enrollment).toMatchObject({ state: 'completed', next_due_at: null });
  expect(j.history.at(-1)).toMatchObject({ kind: 'completed', step: 1 });
});
