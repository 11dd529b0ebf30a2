import { randomBytes } from 'node:crypto';
import { signatureHeaders } from '@cartback/shared';
import { consentOf } from '../../src/consent/ledger';
import { NOTHING_FOUND } from '../../src/privacy/erase-report';
import { ERASED_PAYLOAD } from '../../src/privacy/sql/inbound-events';
import { batch, event } from '../support/events';
import { TEST_SECRET, signedPost, useTestApp, type Reply } from '../support/http';
import { laneSettings, minutesLater, tick } from '../support/journey';
import { fakeDispatcher, group, needles, reportShopper, type Shopper } from '../support/privacy';
import { everyRow, whereMentioned } from '../support/scan';
import { until } from '../support/webhook-receiver';

const t = useTestApp({ storeUrl: 'https://shop.example/' });
const EXPORT = '/v1/admin/privacy/export';
const ERASE = '/v1/admin/privacy/erase';
const post = (path: string, body: unknown) => signedPost(t.base, path, JSON.stringify(body));
/** The journeys of a shopper's carts (one per cart), found through the messages they queued to their phone. */
async function journeysOf(s: Shopper): Promise<number[]> {
  const messages = await t.db
    .selectFrom('messages')
    .select('enrollment_id')
    .where('phone', '=', s.phone)
    .orderBy('enrollment_id')
    .execute();
  return messages.map((m) => m.enrollment_id);
}
const messagesOf = (enrollmentId: number) =>
  t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', enrollmentId).orderBy('step').execute();

let anna: Shopper;
let bea: Shopper;
/** Anna's two carts (the second, typed with her email only, is hers by that email) each started a journey. */
let annaJourneys: number[];
let beaJourney: number;

beforeAll(async () => {
  anna = await reportShopper(t.base);
  bea = await reportShopper(t.base);
  await tick(t.db, laneSettings(), minutesLater(16));
  // One journey at a time: Anna's second cart starts its journey only once the first is over.
  // Journeys of one shopper can still be active together (begun before that rule): erasure must
  // stop them all, so the first is made active again once the second has begun.
  const [first] = await journeysOf(anna);
  await t.db.updateTable('enrollments').set({ state: 'completed' }).where('id', '=', first!).execute();
  await tick(t.db, laneSettings(), minutesLater(17));
  await t.db.updateTable('enrollments').set({ state: 'active' }).where('id', '=', first!).execute();
  annaJourneys = await journeysOf(anna);
  expect(annaJourneys).toHaveLength(2);
  [beaJourney] = (await journeysOf(bea)) as [number];
  // Anna taps her message's button: a click and a restore token now exist too.
  const [message] = await messagesOf(annaJourneys[0] as number);
  const components = JSON.parse(message?.payload ?? '[]') as Array<{
    sub_type?: string;
    parameters: [{ text: string }];
  }>;
  const code = components.find((c) => c.sub_type === 'url')?.parameters[0].text;
  const click = await fetch(`${t.base}/r/${code}`, { redirect: 'manual' });
  expect(click.status).toBe(302);
});

describe('signatures and validation', () => {
  it.each([EXPORT, ERASE])('%s refuses an unsigned or wrongly signed request, changing nothing', async (path) => {
    const before = await everyRow(t.db);
    const body = JSON.stringify({ email: anna.email });
    const unsigned = await fetch(t.base + path, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'missing_signature', message: expect.any(String) } });
    const wrong = await signedPost(t.base, path, body, { secret: 'another-secret-of-the-same-length-000000' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
    // A signature made for the export does not open the eraser.
    const headers = signatureHeaders(TEST_SECRET, { method: 'POST', path: EXPORT, body });
    expect((await fetch(t.base + ERASE, { method: 'POST', headers, body })).status).toBe(401);
    expect(await everyRow(t.db)).toEqual(before);
  });

  const invalid: Array<[string, string, string | undefined]> = [
    ['{}', 'invalid_request', undefined],
    ['{"email": "not-an-email"}', 'invalid_request', 'email'],
    ['{"email": "a@example.com", "phone": "98765 43001"}', 'invalid_request', 'phone'],
    ['{"email": "a@example.com", "name": "Anna"}', 'invalid_request', 'name'],
    ['{"email": ', 'invalid_json', undefined],
  ];
  it.each(invalid)('refuses %s with 400 %s, changing nothing', async (body, code, path) => {
    const before = await everyRow(t.db);
    for (const route of [EXPORT, ERASE]) {
      const reply = await signedPost(t.base, route, body);
      expect(reply).toEqual({ status: 400, body: { error: { code, message: expect.any(String), path } } });
    }
    expect(await everyRow(t.db)).toEqual(before);
  });
});

describe('export', () => {
  it('returns the consent text exactly as granted, the carts, the order and the message, changing nothing', async () => {
    // She also asked for a person once (the "Get help" button).
    const contact = await t.db
      .selectFrom('contacts')
      .select('id')
      .where('phone', '=', anna.phone)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('handoffs')
      .values({
        store_id: 1,
        contact_id: contact.id,
        requested_at: new Date('2026-11-21T10:15:00Z'),
        source: 'button',
        wamid: 'wamid.export-test',
        text: 'Get help',
      })
      .execute();
    const before = await everyRow(t.db);
    const reply = await post(EXPORT, { email: anna.email.toUpperCase() });
    expect(reply.status).toBe(200);
    expect(group(reply, 'cartback-contact')).toEqual([
      expect.objectContaining({ Phone: anna.phone, Email: anna.email, 'First name': anna.firstName }),
    ]);
    expect(group(reply, 'cartback-consent')).toEqual([
      expect.objectContaining({ Text: anna.consentText, 'Text version': '3', Decision: 'Granted', Phone: anna.phone }),
    ]);
    const carts = group(reply, 'cartback-carts');
    expect(carts).toHaveLength(2);
    const typed = `${anna.firstName} ${anna.lastName}, ${anna.street}, Pune, ${anna.phone}`;
    expect(carts).toContainEqual(
      expect.objectContaining({
        Status: 'Active',
        Products: 'Handloom cotton kurta × 1',
        Total: '₹1,299.00',
        'Name typed at checkout': `${anna.firstName} ${anna.lastName}`,
        'Phone typed at checkout': anna.phone,
        'Billing address typed at checkout': typed,
        'Shipping address typed at checkout': typed,
      }),
    );
    expect(group(reply, 'cartback-orders')).toEqual([
      expect.objectContaining({ Order: `#${anna.orderId}`, Status: 'processing', Total: '₹1,299.00' }),
    ]);
    const queued = {
      Lane: 'Abandoned cart',
      Step: '1',
      Status: 'Queued',
      Template: 'cart_reminder_1',
      Phone: anna.phone,
    };
    expect(group(reply, 'cartback-messages')).toEqual([
      expect.objectContaining(queued),
      expect.objectContaining(queued),
    ]);
    expect(group(reply, 'cartback-product-views')).toHaveLength(1);
    expect(group(reply, 'cartback-other-channels')).toEqual([expect.objectContaining({ Channel: 'Email' })]);
    expect(group(reply, 'cartback-handoffs')).toEqual([
      expect.objectContaining({
        How: 'The “Get help” button',
        'What was sent': 'Get help',
        'Asked at': '2026-11-21T10:15:00Z',
      }),
    ]);
    const items = reply.body.items as Array<{ item_id: string }>;
    expect(new Set(items.map((i) => i.item_id)).size).toBe(items.length);
    // Nothing of the other shopper.
    expect(JSON.stringify(reply.body)).not.toContain(bea.phone);
    expect(JSON.stringify(reply.body)).not.toContain(bea.email);
    expect(await everyRow(t.db)).toEqual(before);
  });

  it('finds the same person by phone alone, and nobody for an unknown email', async () => {
    const byEmail = await post(EXPORT, { email: anna.email });
    expect(await post(EXPORT, { phone: anna.phone })).toEqual(byEmail);
    expect(await post(EXPORT, { email: 'nobody@example.com' })).toEqual({ status: 200, body: { items: [] } });
  });
});

describe('erase', () => {
  let beaBefore: { export: Reply; mentioned: Record<string, number> };

  beforeAll(async () => {
    beaBefore = {
      export: await post(EXPORT, { email: bea.email }),
      mentioned: await whereMentioned(t.db, needles(bea)),
    };
    expect(Object.keys(beaBefore.mentioned).length).toBeGreaterThan(5);
  });

  it('removes every trace of the person, keeping their order without personal data', async () => {
    const contact = await t.db
      .selectFrom('contacts')
      .select('id')
      .where('phone', '=', anna.phone)
      .executeTakeFirstOrThrow();
    // A provider's error text that quotes the number, as a failed send may leave in the history.
    await t.db
      .insertInto('enrollment_history')
      .values({
        store_id: 1,
        enrollment_id: annaJourneys[0] as number,
        at: new Date(),
        kind: 'retry',
        step: 0,
        reason: null,
        detail: `131000: Something went wrong sending to ${anna.phone.slice(1)}`,
      })
      .execute();
    expect(await whereMentioned(t.db, needles(anna))).not.toEqual({});
    const reply = await post(ERASE, { email: anna.email });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      items_removed: true,
      items_retained: false,
      messages: [
        expect.stringMatching(/^Cartback erased 1 contact, 1 consent record, 2 carts, 1 product view, /),
        'Cartback stopped 2 WhatsApp journeys and cancelled 2 queued messages; nothing more will be sent without fresh consent.',
        'Cartback kept 1 order without personal data for revenue reporting.',
        'Cartback kept 2 WhatsApp message records without the phone number or content for delivery reporting.',
      ],
    });

    // No column of any table (information_schema: a future table is scanned too) still holds them.
    expect(await whereMentioned(t.db, needles(anna))).toEqual({});
    expect(await consentOf(t.db, 1, contact.id)).toMatchObject({
      marketing: { granted: false, decidedBy: null },
      utility: { granted: false, decidedBy: null },
    });
    for (const table of ['clicks', 'links', 'restore_tokens', 'product_views', 'channel_nudges'] as const) {
      expect(await t.db.selectFrom(table).select('contact_id').where('contact_id', '=', contact.id).execute()).toEqual(
        [],
      );
    }
    const order = await t.db
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', anna.orderId)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({ phone: null, email: null, customer_id: null, cart_key: null, status: 'processing' });
    expect(order).toMatchObject({ currency: 'INR', total: 129900, paid_at: expect.any(Date) });
    expect(JSON.parse(order.lines ?? '[]')).toHaveLength(1);
    const erasedEvents = await t.db
      .selectFrom('inbound_events')
      .select('payload')
      .where('payload', '=', ERASED_PAYLOAD)
      .execute();
    expect(erasedEvents).toHaveLength(9);
  });

  it('leaves the other shopper untouched', async () => {
    // Compared before any later step or send changes her rows.
    expect(await post(EXPORT, { email: bea.email })).toEqual(beaBefore.export);
    expect(await whereMentioned(t.db, needles(bea))).toEqual(beaBefore.mentioned);
    expect(await messagesOf(beaJourney)).toEqual([expect.objectContaining({ state: 'queued', phone: bea.phone })]);
  });

  it('stops the journeys: queued messages are skipped, no later step is taken, and they are never sent', async () => {
    for (const id of annaJourneys) {
      const journey = await t.db.selectFrom('enrollments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(journey).toMatchObject({ state: 'stopped', stop_reason: 'no_consent', next_due_at: null });
      expect(journey.subject_id).toBe(`erased:${id}`);
      const history = await t.db
        .selectFrom('enrollment_history')
        .selectAll()
        .where('enrollment_id', '=', id)
        .orderBy('id')
        .execute();
      expect(history.map((h) => h.kind)).toEqual(
        id === annaJourneys[0] ? ['enrolled', 'send', 'retry', 'stopped'] : ['enrolled', 'send', 'stopped'],
      );
      expect(history.at(-1)).toMatchObject({ reason: 'no_consent', detail: expect.stringMatching(/erased/) });
      expect(await messagesOf(id)).toEqual([
        expect.objectContaining({ state: 'skipped', phone: '', payload: null, error_message: 'erased before sending' }),
      ]);
    }

    await tick(t.db, laneSettings(), minutesLater(241));
    for (const id of annaJourneys) expect(await messagesOf(id)).toHaveLength(1);

    // A dispatcher running later sends the other shopper's reminder, never Anna's.
    const { fake, dispatcher } = await fakeDispatcher(t.db, () => minutesLater(300));
    try {
      dispatcher.start();
      // Wait for what is asserted: each reminder queued to Bea (both her carts' journeys; a step the
      // engine skipped was never meant to go) submitted, and each at the fake. Not for them to leave
      // `queued`: a message still `submitting` has not reached the fake yet.
      await until(async () => {
        const toSend = (
          await t.db.selectFrom('messages').select('state').where('phone', '=', bea.phone).execute()
        ).filter((m) => m.state !== 'skipped');
        const received = fake.state.messages.filter((m) => m.to.replace(/\D/g, '') === bea.phone.slice(1));
        return toSend.length > 0 && toSend.every((m) => m.state === 'submitted') && received.length === toSend.length;
      }, "Bea's reminders submitted and at the fake");
      expect(fake.state.messages.map((m) => m.to.replace(/\D/g, ''))).toContain(bea.phone.slice(1));
      expect(fake.state.messages.map((m) => m.to.replace(/\D/g, ''))).not.toContain(anna.phone.slice(1));
      for (const id of annaJourneys) expect((await messagesOf(id))[0]?.state).toBe('skipped');
    } finally {
      await dispatcher.stop();
      await fake.close();
    }
  });

  it('is idempotent: a second erasure removes nothing and says so, and a retried batch brings nothing back', async () => {
    const before = await everyRow(t.db);
    expect(await post(ERASE, { email: anna.email, phone: anna.phone })).toEqual({
      status: 200,
      body: { items_removed: false, items_retained: false, messages: [NOTHING_FOUND] },
    });
    expect(await everyRow(t.db)).toEqual(before);
    expect(await post(EXPORT, { email: anna.email })).toEqual({ status: 200, body: { items: [] } });
    // The plugin's outbox retries the very same events: they are duplicates, not new facts.
    expect(await signedPost(t.base, '/v1/events', anna.events)).toMatchObject({
      status: 200,
      body: { accepted: 0, duplicates: 9 },
    });
    expect(await whereMentioned(t.db, needles(anna))).toEqual({});
  });

  it('erases a person known only by phone', async () => {
    const phone = '+919876500001';
    const events = batch(
      event('consent.granted', { phone, email: undefined }),
      event('channel.sent', { channel: 'sms', phone, email: undefined, subject: { kind: 'cart', id: 'x' } }),
    );
    expect((await signedPost(t.base, '/v1/events', events)).status).toBe(200);
    expect(await whereMentioned(t.db, [phone])).not.toEqual({});
    const reply = await post(ERASE, { phone });
    expect(reply.body).toMatchObject({ items_removed: true, items_retained: false });
    expect(await whereMentioned(t.db, [phone, phone.slice(1)])).toEqual({});
  });

  it('erases a guest known only by the email typed at checkout', async () => {
    const email = 'guest.only@example.com';
    const cartKey = `guest-only-${randomBytes(4).toString('hex')}`;
    const events = batch(
      event('cart.updated', { cart_key: cartKey, session_id: cartKey, customer_id: undefined }),
      event('checkout.contact_captured', { cart_key: cartKey, email, phone: undefined, first_name: 'Guestina' }),
    );
    expect((await signedPost(t.base, '/v1/events', events)).status).toBe(200);
    const exported = await post(EXPORT, { email });
    expect(group(exported, 'cartback-carts')).toEqual([expect.objectContaining({ Email: email })]);
    expect(await post(ERASE, { email })).toMatchObject({ status: 200, body: { items_removed: true } });
    expect(await whereMentioned(t.db, [email, cartKey, 'Guestina'])).toEqual({});
  });
});
