import { createHmac } from 'node:crypto';
import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import type { LaneName } from '../../src/engine/lanes';
import { enroll as startJourney } from '../../src/recovery/enroll';
import { planCartEnrollments } from '../../src/recovery/planner';
import { runDueSteps, type StoreAnswer } from '../../src/recovery/stepper';
import { enrollWinbacks } from '../../src/recovery/winback/enroll-many';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import { withTransaction } from '../../src/db/transaction';
import { useTestApp, type TestAppOptions } from '../support/http';
import { SALT, stepContext } from '../support/journey';
import { laneFixtures, settingsOf } from '../support/lanes';
import { until } from '../support/webhook-receiver';

/**
 * A shopper asking for a person, through the signed webhook route on the real database: the
 * payment-recovery help button (payload HELP) or a typed "talk to a person" hands the
 * conversation over — their journeys stop as `handoff_active`, queued messages are skipped, one
 * handoff is recorded however often WhatsApp delivers the message, one confirmation is sent, and
 * no journey of any lane messages them afterwards.
 */
const APP_SECRET = 'handoff-test-app-secret';
const TOKEN = 'handoff-test-token';
const EN_CONFIRMATION =
  'Thanks — a person from our team will reply here as soon as they can. Automated reminders are paused.';

const options: TestAppOptions = { whatsapp: { appSecret: APP_SECRET, verifyToken: 'verify-me' } };
const t = useTestApp(options);
let fake: FakeCloudApi;
let fakeBase = '';
const hook = () => `${t.base}/v1/webhooks/whatsapp/cloud`;
// The webhook stamps what it applies with the real clock: the fixtures use it too.
const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const { contact, enroll, order, cart } = laneFixtures(() => t.db, NOW);

beforeAll(async () => {
  fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: APP_SECRET, webhookUrl: hook(), statusDelayMs: 5 });
  fakeBase = (await fake.listen()).url;
  options.whatsapp!.provider = createCloudProvider({
    apiUrl: fakeBase,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
  });
});
afterAll(() => fake.close());

/** The shopper writes (text) or presses a quick reply (payload) in the fake; returns the webhook it delivered. */
async function reply(from: string, body: { text: string } | { payload: string; button_text: string }) {
  const res = await fetch(`${fakeBase}/_sandbox/inbound`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ from, ...body }),
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { webhook: unknown; delivered: boolean };
  expect(answer.delivered).toBe(true);
  return answer.webhook;
}

/** WhatsApp delivering the same webhook again (it retries for days). */
async function redeliver(webhook: unknown): Promise<void> {
  const body = JSON.stringify(webhook);
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  const res = await fetch(hook(), { method: 'POST', headers: { 'X-Hub-Signature-256': `sha256=${signature}` }, body });
  expect(res.status).toBe(200);
}

async function run(lane: LaneName, askStore?: () => Promise<StoreAnswer>): Promise<void> {
  await runDueSteps(t.db, stepContext(settingsOf(lane), { lane, ...(askStore ? { askStore } : {}) }), new Date());
}

const journey = (id: number) =>
  t.db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const messagesOf = (id: number) =>
  t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', id).orderBy('id').execute();
const handoffsOf = (contactId: number) =>
  t.db.selectFrom('handoffs').selectAll().where('contact_id', '=', contactId).execute();
const textsTo = (phone: string) => fake.state.messages.filter((m) => m.type === 'text' && m.to === phone);

/** A contact with utility and marketing consent, in a payment-recovery journey whose first step is queued. */
async function payingShopper() {
  const c = await contact('utility');
  await t.db
    .insertInto('consent_ledger')
    .values({
      store_id: 1,
      contact_id: c.id,
      phone: c.phone,
      scope: 'marketing',
      action: 'granted',
      source: 'checkout',
      text: 'Send me offers on WhatsApp',
      text_version: 1,
      occurred_at: minutesAgo(24 * 60),
      recorded_at: minutesAgo(24 * 60),
    })
    .execute();
  const placedAt = minutesAgo(45);
  const orderId = await order(c.id, 'pending', placedAt, [1]);
  const id = await enroll('payment_recovery', 'order', String(orderId), c.id, placedAt);
  await run('payment_recovery', async () => 'payment_pending');
  const [queued] = await messagesOf(id);
  expect(queued).toMatchObject({ state: 'queued', template: 'payment_reminder_1' });
  return { ...c, journeyId: id, messageId: queued!.id };
}

describe('a shopper asking for a person', () => {
  it('the HELP button stops the payment journey, skips its queued message, records one handoff and confirms once', async () => {
    const shopper = await payingShopper();
    const webhook = await reply(shopper.phone, { payload: 'HELP', button_text: 'Get help' });
    await redeliver(webhook);

    expect(await journey(shopper.journeyId)).toMatchObject({
      state: 'stopped',
      stop_reason: 'handoff_active',
      next_due_at: null,
    });
    const stops = await t.db
      .selectFrom('enrollment_history')
      .select(['kind', 'reason', 'detail'])
      .where('enrollment_id', '=', shopper.journeyId)
      .where('kind', '=', 'stopped')
      .execute();
    expect(stops).toEqual([
      { kind: 'stopped', reason: 'handoff_active', detail: 'the shopper pressed the help button' },
    ]);
    expect(await messagesOf(shopper.journeyId)).toEqual([
      expect.objectContaining({ id: shopper.messageId, state: 'skipped', error_message: 'handoff_active' }),
    ]);
    expect(await handoffsOf(shopper.id)).toEqual([
      expect.objectContaining({ store_id: 1, source: 'button', text: 'Get help', closed_at: null, closed_by: null }),
    ]);

    await until(async () => textsTo(shopper.phone).length > 0, 'the confirmation');
    // Long enough for a second confirmation, had the redelivery sent one, to reach the fake.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(textsTo(shopper.phone).map((m) => m.body)).toEqual([EN_CONFIRMATION]);

    // Nothing automated goes to them again: a later due step of another lane stops as handoff_active.
    const browse = await enroll('browse_abandonment', 'product', `${shopper.id}:7`, shopper.id, minutesAgo(45), {
      currency: 'EUR',
      products: [
        {
          product_id: 7,
          name: 'Linen kurta',
          price: 1500,
          image_url: 'https://shop.example/img/7.jpg',
          url: 'https://shop.example/product/7',
        },
      ],
    });
    await run('browse_abandonment');
    expect(await journey(browse)).toMatchObject({ state: 'stopped', stop_reason: 'handoff_active' });
    expect(await messagesOf(browse)).toEqual([]);

    // Nor does a new journey start: the cart planner leaves them out, and enroll() refuses them.
    await cart(shopper.id, minutesAgo(120), [3]);
    await planCartEnrollments(t.db, 1, settingsOf('abandoned_cart'), SALT, new Date());
    const carts = await t.db
      .selectFrom('enrollments')
      .select('id')
      .where('contact_id', '=', shopper.id)
      .where('lane', '=', 'abandoned_cart')
      .execute();
    expect(carts).toEqual([]);
    const refused = await withTransaction(t.db, (trx) =>
      startJourney(
        trx,
        {
          storeId: 1,
          lane: 'abandoned_cart',
          contactId: shopper.id,
          subject: { kind: 'cart', id: 'handoff-direct-cart', episodeAt: minutesAgo(120) },
          cell: 'treatment',
          anchorAt: minutesAgo(120),
          nextDueAt: minutesAgo(60),
        },
        new Date(),
      ),
    );
    expect(refused).toEqual({ kind: 'handoff_active' });
    const winbacks = await withTransaction(t.db, (trx) =>
      enrollWinbacks(
        trx,
        1,
        [
          {
            contactId: shopper.id,
            plan: { cell: 'treatment', anchorAt: NOW, nextDueAt: NOW, episodeAt: NOW, products: [] },
          },
        ],
        new Date(),
      ),
    );
    expect(winbacks).toEqual([]);
  });

  it('a typed "Can I talk to a person?" hands over too; a question about something else does not', async () => {
    const shopper = await payingShopper();
    await reply(shopper.phone, { text: 'help me find the size chart?' });
    expect(await journey(shopper.journeyId)).toMatchObject({ state: 'active' });
    expect(await handoffsOf(shopper.id)).toEqual([]);

    await reply(shopper.phone, { text: 'Can I talk to a person?' });
    expect(await journey(shopper.journeyId)).toMatchObject({ state: 'stopped', stop_reason: 'handoff_active' });
    expect(await handoffsOf(shopper.id)).toEqual([
      expect.objectContaining({ source: 'text', text: 'Can I talk to a person?', closed_at: null }),
    ]);
    await until(async () => textsTo(shopper.phone).length > 0, 'the confirmation');

    // Asking again while the handoff is open is recorded for the inbox, with no second automated reply.
    await reply(shopper.phone, { text: 'agent' });
    expect(await handoffsOf(shopper.id)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(textsTo(shopper.phone)).toHaveLength(1);
  });

  it('STOP wins: "stop" opts out rather than hands over', async () => {
    const shopper = await payingShopper();
    await reply(shopper.phone, { text: 'stop' });
    expect(await journey(shopper.journeyId)).toMatchObject({ state: 'stopped', stop_reason: 'opted_out' });
    expect(await handoffsOf(shopper.id)).toEqual([]);
  });
});
