import { batch, event } from '../support/events';
import { signedPost, useTestApp } from '../support/http';
import { laneSettings, minutesLater, tick } from '../support/journey';

const t = useTestApp({ storeUrl: 'https://shop.example/' });
let n = 0;

/** A consenting shopper with a fresh phone and a cart, as the plugin reports them now. */
async function shopperWithCart(): Promise<{ phone: string; cartKey: string }> {
  n++;
  const phone = `+9198765${String(43000 + n).padStart(5, '0')}`;
  const cartKey = `journey-cart-${n}-${Date.now()}`;
  const now = new Date().toISOString();
  const reply = await signedPost(
    t.base,
    '/v1/events',
    batch(
      event('consent.granted', { phone }, now),
      event('cart.updated', { cart_key: cartKey, customer_id: undefined }, now),
      event(
        'checkout.contact_captured',
        { cart_key: cartKey, phone, first_name: 'Anna', email: `s${n}@example.com` },
        now,
      ),
    ),
  );
  expect(reply.status).toBe(200);
  return { phone, cartKey };
}

const journal = async (cartKey: string) => {
  const e = await t.db.selectFrom('enrollments').selectAll().where('subject_id', '=', cartKey).executeTakeFirst();
  const messages = e
    ? await t.db.selectFrom('messages').selectAll().where('enrollment_id', '=', e.id).orderBy('step').execute()
    : [];
  const history = e
    ? await t.db.selectFrom('enrollment_history').selectAll().where('enrollment_id', '=', e.id).orderBy('id').execute()
    : [];
  return { enrollment: e, messages, history };
};

describe('abandoned cart journey', () => {
  it('does not start before the cart has been idle for the inactivity delay', async () => {
    const { cartKey } = await shopperWithCart();
    await tick(t.db, laneSettings(), minutesLater(10));
    expect((await journal(cartKey)).enrollment).toBeUndefined();
  });

  it('queues step 1 with the rendered cart and a tracked link once idle, then later steps on time', async () => {
    const { cartKey, phone } = await shopperWithCart();
    const settings = laneSettings();
    await tick(t.db, settings, minutesLater(16));
    let j = await journal(cartKey);
    expect(j.enrollment).toMatchObject({ state: 'active', next_step: 1, cell: 'treatment' });
    expect(j.messages).toHaveLength(1);
    expect(j.messages[0]).toMatchObject({ state: 'queued', phone, template: 'cart_reminder_1', step: 0 });
    const components = JSON.parse(j.messages[0]?.payload ?? '[]');
    const body = components.find((c: { type: string }) => c.type === 'body');
    expect(body.parameters.slice(0, 3)).toEqual([
      { type: 'text', text: 'Anna' },
      { type: 'text', text: '1' },
      { type: 'text', text: 'Handloom cotton kurta' },
    ]);
    expect(body.parameters[3]).toEqual({
      type: 'currency',
      currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1_299_000 },
    });
    const button = components.find((c: { sub_type?: string }) => c.sub_type === 'url');
    const link = await t.db
      .selectFrom('links')
      .selectAll()
      .where('code', '=', button.parameters[0].text)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ subject_id: cartKey, message_id: j.messages[0]?.id });

    // Nothing more until step 2 is due (4 h after the cart was last changed).
    await tick(t.db, settings, minutesLater(200));
    expect((await journal(cartKey)).messages).toHaveLength(1);
    await tick(t.db, settings, minutesLater(241));
    j = await journal(cartKey);
    expect(j.messages.map((m) => m.template)).toEqual(['cart_reminder_1', 'cart_reminder_2']);
    expect(j.history.map((h) => h.kind)).toEqual(['enrolled', 'send', 'send']);
  });

  it('stops when the shopper pays an order between steps: no further message', async () => {
    const { cartKey, phone } = await shopperWithCart();
    const settings = laneSettings();
    await tick(t.db, settings, minutesLater(16));
    const order = { order_id: 90_000 + n, phone, cart_key: cartKey, status: 'processing' };
    await signedPost(t.base, '/v1/events', batch(event('order.created', order, new Date().toISOString())));
    await tick(t.db, settings, minutesLater(241));
    const j = await journal(cartKey);
    expect(j.messages).toHaveLength(1);
    expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'converted' });
    expect(j.history.at(-1)).toMatchObject({ kind: 'stopped', reason: 'converted', step: 1 });
  });

  it.each([
    ['pending', 'order.created'],
    ['failed', 'order.payment_failed'],
  ] as const)(
    'ends the journey as payment_pending, never converted, when the order is %s (%s)',
    async (status, type) => {
      const { cartKey, phone } = await shopperWithCart();
      const settings = laneSettings();
      await tick(t.db, settings, minutesLater(16));
      const order = { order_id: 91_000 + n, phone, cart_key: cartKey, status };
      await signedPost(t.base, '/v1/events', batch(event(type, order, new Date().toISOString())));
      await tick(t.db, settings, minutesLater(241));
      const j = await journal(cartKey);
      expect(j.messages).toHaveLength(1);
      expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'payment_pending' });
      expect(j.history.at(-1)).toMatchObject({ kind: 'stopped', reason: 'payment_pending', step: 1 });
      expect(j.history.map((h) => h.reason)).not.toContain('converted');
    },
  );

  it('a pending order that is then paid stops the journey as converted', async () => {
    const { cartKey, phone } = await shopperWithCart();
    const settings = laneSettings();
    await tick(t.db, settings, minutesLater(16));
    const order = { order_id: 92_000 + n, phone, cart_key: cartKey };
    const placed = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await signedPost(
      t.base,
      '/v1/events',
      batch(
        event('order.created', { ...order, status: 'pending' }, placed),
        event('order.paid', { ...order, status: 'processing' }, new Date().toISOString()),
      ),
    );
    await tick(t.db, settings, minutesLater(241));
    expect((await journal(cartKey)).enrollment).toMatchObject({ state: 'stopped', stop_reason: 'converted' });
  });

  it.each<[string, string[], string]>([
    ['in the shopper’s language when WhatsApp approved it in that language', ['en', 'pt_BR'], 'pt_BR'],
    ['in the step’s language when it did not', ['en'], 'en'],
  ])('sends the step %s', async (_what, languages, expected) => {
    n++;
    const phone = `+5511987${String(60000 + n).padStart(6, '0')}`;
    const cartKey = `language-cart-${n}`;
    const now = new Date().toISOString();
    await signedPost(
      t.base,
      '/v1/events',
      batch(
        event('consent.granted', { phone }, now),
        event('cart.updated', { cart_key: cartKey, customer_id: undefined, locale: 'pt_BR' }, now),
        event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Ana' }, now),
      ),
    );
    const approved = (name: string) => (name.startsWith('cart_reminder_') ? languages : []);
    await tick(t.db, laneSettings(), minutesLater(16), {
      approvedLanguages: approved,
      templateAvailable: (name, language) => approved(name).includes(language),
    });
    const j = await journal(cartKey);
    expect(j.messages.map((m) => [m.state, m.template, m.language])).toEqual([['queued', 'cart_reminder_1', expected]]);
  });

  it.each([
    // 17:00 UTC: day in the UTC store, 22:30 in Kolkata → deferred to 09:00 IST, 03:30 UTC.
    ['an Indian number by Asia/Kolkata', '+91987690', 'T17:00:00Z', 'T03:30:00.000Z'],
    // 00:30 UTC: 21:30 in São Paulo → deferred to 09:00 BRT, 12:00 UTC.
    ['a Brazilian number by America/Sao_Paulo', '+551198765', 'T00:30:00Z', 'T12:00:00.000Z'],
    // 23:00 UTC: the US has several zones, so the UTC store's night decides → 09:00 UTC.
    ['a US number by the store’s zone (UTC)', '+1212555', 'T23:00:00Z', 'T09:00:00.000Z'],
  ])('defers quiet hours in the shopper’s own time: %s', async (_what, prefix, clock, until) => {
    n++;
    const phone = `${prefix}${String(1000 + n).padStart(4, '0')}`;
    const cartKey = `zone-cart-${n}`;
    const now = new Date().toISOString();
    await signedPost(
      t.base,
      '/v1/events',
      batch(
        event('consent.granted', { phone }, now),
        event('cart.updated', { cart_key: cartKey, customer_id: undefined }, now),
        event('checkout.contact_captured', { cart_key: cartKey, phone, first_name: 'Anna' }, now),
      ),
    );
    // The first such clock time at least 16 minutes from now, in UTC.
    const due = minutesLater(16);
    let at = new Date(`${due.toISOString().slice(0, 10)}${clock}`);
    if (at.getTime() < due.getTime()) at = new Date(at.getTime() + 86_400_000);
    const settings = laneSettings({ quiet_hours: { start: '21:00', end: '09:00' } });
    await tick(t.db, settings, at, { store: { timeZone: 'UTC', locale: 'en', currency: 'INR', name: 'Kurta Co' } });
    const j = await journal(cartKey);
    expect(j.messages).toHaveLength(0);
    expect(j.history.at(-1)).toMatchObject({ kind: 'deferred', reason: 'quiet_hours' });
    const next = j.enrollment?.next_due_at as Date;
    expect(next.toISOString().slice(10)).toBe(until);
    expect(next.getTime() - at.getTime()).toBeLessThan(86_400_000);
    expect(next.getTime()).toBeGreaterThan(at.getTime());
  });

  it('defers a step due in quiet hours to 09:00 in the store time zone', async () => {
    const { cartKey } = await shopperWithCart();
    const settings = laneSettings({ quiet_hours: { start: '21:00', end: '09:00' } });
    // 23:30 in Kolkata is quiet, whatever day the test runs.
    const due = minutesLater(16);
    const local = new Date(due.getTime() + 5.5 * 3600_000);
    const quietNight = new Date(
      Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 23, 30) - 5.5 * 3600_000,
    );
    const at = quietNight.getTime() < due.getTime() ? new Date(quietNight.getTime() + 86_400_000) : quietNight;
    await tick(t.db, settings, at);
    const j = await journal(cartKey);
    expect(j.messages).toHaveLength(0);
    const next = j.enrollment?.next_due_at as Date;
    // 09:00 IST is 03:30 UTC, the morning after.
    expect(next.toISOString().slice(11, 16)).toBe('03:30');
    expect(next.getTime() - at.getTime()).toBe(9.5 * 3600_000);
    expect(j.history.at(-1)).toMatchObject({ kind: 'deferred', reason: 'quiet_hours' });
  });

  /** A message of another lane sent to the contact `minutesAgo` ago, by a journey that is over. */
  async function sentByAnotherLane(phone: string, lane: string, category: 'marketing' | 'utility', minutesAgo: number) {
    const contact = await t.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
    const at = new Date(Date.now() - minutesAgo * 60_000);
    const e = await t.db
      .insertInto('enrollments')
      .values({
        store_id: 1,
        lane,
        contact_id: contact.id,
        subject_kind: 'contact',
        subject_id: `${lane}-${contact.id}-${minutesAgo}`,
        episode_at: at,
        cell: 'treatment',
        state: 'completed',
        anchor_at: at,
        next_step: 1,
        next_due_at: null,
        created_at: at,
        updated_at: at,
      })
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('messages')
      .values({
        store_id: 1,
        enrollment_id: Number(e.insertId),
        step: 0,
        lane,
        category,
        contact_id: contact.id,
        phone,
        state: 'delivered',
        due_at: at,
        template: `${lane}_1`,
        language: 'en',
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  it('counts the marketing cap across lanes: a win-back and a browse message today skip the cart step', async () => {
    const settings = laneSettings(); // cap_per_contact: 2 marketing messages in 24 h
    const { cartKey, phone } = await shopperWithCart();
    await sentByAnotherLane(phone, 'winback', 'marketing', 600);
    await sentByAnotherLane(phone, 'browse_abandonment', 'marketing', 300);
    await tick(t.db, settings, minutesLater(16));
    const j = await journal(cartKey);
    expect(j.messages.map((m) => [m.state, m.error_message])).toEqual([['skipped', 'frequency_cap_contact']]);
    expect(j.history.at(-1)).toMatchObject({ kind: 'skipped', reason: 'frequency_cap_contact' });
    expect(j.enrollment).toMatchObject({ state: 'active', next_step: 1 });
  });

  it('sends the cart step when the other lane sent one marketing message, or only utility ones', async () => {
    const settings = laneSettings();
    const one = await shopperWithCart();
    await sentByAnotherLane(one.phone, 'winback', 'marketing', 600);
    const utility = await shopperWithCart();
    await sentByAnotherLane(utility.phone, 'payment_recovery', 'utility', 600);
    await sentByAnotherLane(utility.phone, 'payment_recovery', 'utility', 300);
    await tick(t.db, settings, minutesLater(16));
    for (const { cartKey } of [one, utility]) {
      expect((await journal(cartKey)).messages.map((m) => m.state)).toEqual(['queued']);
    }
  });

  it('starts one journey at a time for a shopper with three carts', async () => {
    const settings = laneSettings();
    const first = await shopperWithCart();
    const more = [`cap-a-${n}`, `cap-b-${n}`];
    for (const cartKey of more) {
      await signedPost(
        t.base,
        '/v1/events',
        batch(
          event('cart.updated', { cart_key: cartKey }, new Date().toISOString()),
          event('checkout.contact_captured', { cart_key: cartKey, phone: first.phone }, new Date().toISOString()),
        ),
      );
    }
    await tick(t.db, settings, minutesLater(16));
    const all = await Promise.all([first.cartKey, ...more].map(journal));
    expect(all.filter((j) => j.enrollment).map((j) => j.enrollment?.state)).toEqual(['active']);
    expect(all.flatMap((j) => j.messages.map((m) => m.state))).toEqual(['queued']);
  });

  it('records holdout contacts as held out, never queued to send, and sends to the others', async () => {
    const settings = laneSettings({ holdout_percent: 50 });
    const cells = new Map<string, string | undefined>();
    // The cell is a hash of the contact: with 50 % holdout, a few shoppers land in both cells.
    for (let i = 0; i < 12 && new Set(cells.values()).size < 2; i++) {
      const { cartKey } = await shopperWithCart();
      await tick(t.db, settings, minutesLater(16));
      cells.set(cartKey, (await journal(cartKey)).enrollment?.cell);
    }
    expect(new Set(cells.values())).toEqual(new Set(['holdout', 'treatment']));
    for (const [cartKey, cell] of cells) {
      const j = await journal(cartKey);
      if (cell === 'holdout') {
        expect(j.messages[0]).toMatchObject({ state: 'held_out', payload: null });
        expect(j.history.at(-1)).toMatchObject({ kind: 'held_out', reason: 'held_out' });
      } else {
        expect(j.messages[0]?.state).toBe('queued');
      }
    }
  });

  it('counts the steps again from the change when the shopper comes back and edits the cart', async () => {
    const { cartKey } = await shopperWithCart();
    const settings = laneSettings();
    await tick(t.db, settings, minutesLater(16));
    // 30 minutes later she adds an item; the store reports the new snapshot then.
    const editedAt = minutesLater(30);
    const line = { ...event('cart.updated').data.lines[0]!, quantity: 2, line_total: 259800 };
    await signedPost(
      t.base,
      '/v1/events',
      batch(event('cart.updated', { cart_key: cartKey, lines: [line] }, new Date().toISOString())),
    );
    await t.db.updateTable('carts').set({ content_at: editedAt }).where('cart_key', '=', cartKey).execute();
    // Step 2 was due 4 h after the first change; now it is due 4 h after the edit.
    await tick(t.db, settings, minutesLater(241));
    let j = await journal(cartKey);
    expect(j.messages).toHaveLength(1);
    expect(j.history.at(-1)).toMatchObject({ kind: 'reanchored' });
    expect(j.enrollment?.next_due_at).toEqual(new Date(editedAt.getTime() + 4 * 3600_000));
    await tick(t.db, settings, minutesLater(30 + 241));
    j = await journal(cartKey);
    expect(j.messages.map((m) => m.template)).toEqual(['cart_reminder_1', 'cart_reminder_2']);
  });

  it('stops with cart_empty when the cart was emptied before the next step', async () => {
    const { cartKey } = await shopperWithCart();
    const settings = laneSettings();
    await tick(t.db, settings, minutesLater(16));
    await signedPost(
      t.base,
      '/v1/events',
      batch(event('cart.emptied', { cart_key: cartKey }, new Date().toISOString())),
    );
    await tick(t.db, settings, minutesLater(241));
    const j = await journal(cartKey);
    expect(j.messages).toHaveLength(1);
    expect(j.enrollment).toMatchObject({ state: 'stopped', stop_reason: 'cart_empty' });
  });

  it('never starts a journey for a shopper without consent', async () => {
    const cartKey = `no-consent-${Date.now()}`;
    await signedPost(
      t.base,
      '/v1/events',
      batch(
        event('cart.updated', { cart_key: cartKey }, new Date().toISOString()),
        event('checkout.contact_captured', { cart_key: cartKey, phone: '+14155550177' }, new Date().toISOString()),
      ),
    );
    await tick(t.db, laneSettings(), minutesLater(16));
    expect((await journal(cartKey)).enrollment).toBeUndefined();
  });
});
