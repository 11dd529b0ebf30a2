import { createHmac } from 'node:crypto';
import { defaultLaneSettings } from '../../src/engine/lanes';
import { runMonitorPass } from '../../src/monitors/pass';
import { openPauses } from '../../src/monitors/sql';
import { signedRequest, useTestApp } from '../support/http';

const APP_SECRET = 'monitors-test-app-secret';
let wakes = 0;
const t = useTestApp({ whatsapp: { appSecret: APP_SECRET }, monitors: { wake: () => void wakes++ } });
const STORE = 1;
const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const LANE = 'abandoned_cart';
let contactSeq = 1000;

/** `count` sends of the lane, `hoursAgo` before NOW (spread over an hour), `readShare` of them read. */
async function sends(count: number, hoursAgo: number, readShare = 0.8, now = NOW): Promise<number[]> {
  const contacts: number[] = [];
  const rows = Array.from({ length: count }, (_, i) => {
    const at = new Date(now.getTime() - hoursAgo * HOUR + i * 1000);
    const contact = contactSeq++;
    contacts.push(contact);
    const read = i < count * readShare;
    return {
      store_id: STORE,
      enrollment_id: contact,
      step: 0,
      lane: LANE,
      category: 'marketing' as const,
      contact_id: contact,
      phone: '+491511200000',
      state: read ? ('read' as const) : ('delivered' as const),
      due_at: at,
      template: 'cart_reminder_1',
      language: 'en',
      payload: '[]',
      attempted_at: at,
      submitted_at: at,
      sent_at: at,
      delivered_at: at,
      read_at: read ? at : null,
      created_at: at,
      updated_at: at,
    };
  });
  await t.db.insertInto('messages').values(rows).execute();
  return contacts;
}

/** The contacts reply STOP half an hour after `hoursAgo`. */
async function optOuts(contacts: number[], hoursAgo: number, now = NOW): Promise<void> {
  const at = new Date(now.getTime() - hoursAgo * HOUR + 30 * 60_000);
  await t.db
    .insertInto('consent_ledger')
    .values(
      contacts.map((contact) => ({
        store_id: STORE,
        contact_id: contact,
        event_id: null,
        phone: '+491511200000',
        email: null,
        scope: 'marketing' as const,
        action: 'withdrawn' as const,
        source: 'whatsapp_stop',
        text: 'STOP',
        text_version: 1,
        occurred_at: at,
        recorded_at: at,
      })),
    )
    .execute();
}

async function webhook(field: string, value: unknown): Promise<number> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field, value }] }],
  });
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  const res = await fetch(`${t.base}/v1/webhooks/whatsapp/cloud`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${signature}` },
    body,
  });
  return res.status;
}

const events = () => t.db.selectFrom('monitor_events').selectAll().orderBy('id').execute();
const resume = (target: string) =>
  signedRequest(t.base, 'POST', '/v1/admin/monitors/resume', JSON.stringify({ target, by: 'shop-admin' }));

describe('the monitors pass', () => {
  it('a normal week pauses nothing', async () => {
    // A week of 60 sends a day, 80 % read, 1 opt-out per 200.
    for (let day = 1; day <= 7; day++) await sends(60, day * 24);
    const recent = await sends(200, 3);
    await optOuts(recent.slice(0, 2), 3);
    const { fired } = await runMonitorPass(t.db, STORE, NOW);
    expect(fired).toEqual([]);
    expect(await events()).toEqual([]);
  });

  it('an opt-out spike pauses the lane once, records why, and Resume clears it', async () => {
    const spike = await sends(200, 2);
    await optOuts(spike.slice(0, 8), 2);
    const first = await runMonitorPass(t.db, STORE, NOW);
    expect(first.fired.map((v) => [v.monitor, v.target])).toEqual([['opt_out_rate', LANE]]);
    expect(await openPauses(t.db, STORE)).toEqual(new Set([LANE]));
    // Five minutes later the figures are the same: no second firing, no second record.
    await runMonitorPass(t.db, STORE, new Date(NOW.getTime() + 5 * 60_000));
    const rows = await events();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      monitor: 'opt_out_rate',
      target: LANE,
      reason: 'opt_out_rate_high',
      open_target: LANE,
    });
    expect(JSON.parse(rows[0]!.figures)).toMatchObject({ sends: 200, opt_outs: 8 });

    const listed = await signedRequest(t.base, 'GET', '/v1/admin/monitors');
    expect(listed.status).toBe(200);
    expect(listed.body.paused).toEqual([LANE]);
    expect(listed.body.active).toHaveLength(1);
    expect(listed.body.active[0]).toMatchObject({
      target: LANE,
      detail: expect.stringContaining('8 opt-outs over the last 200 sends'),
    });
    expect((await signedRequest(t.base, 'GET', '/v1/admin/status')).body.monitor_paused).toEqual([LANE]);

    expect(await resume(LANE)).toEqual({ status: 200, body: { resumed: LANE, paused: [] } });
    expect(await openPauses(t.db, STORE)).toEqual(new Set());
    expect((await events())[0]).toMatchObject({ open_target: null, resumed_by: 'shop-admin' });
    // Judged on what it sends after the resume: the same spike does not pause it again.
    expect((await runMonitorPass(t.db, STORE, new Date(NOW.getTime() + 10 * 60_000))).fired).toEqual([]);
    expect(await resume(LANE)).toMatchObject({ status: 404, body: { error: { code: 'not_paused', path: 'target' } } });
  });

  it('a FLAGGED quality webhook pauses all sending; a re-categorised template pauses its lane', async () => {
    expect(
      await webhook('phone_number_quality_update', {
        display_phone_number: '15550001',
        event: 'FLAGGED',
        current_limit: 'TIER_1K',
      }),
    ).toBe(200);
    // The pass is woken once the signal is committed, not left for the next 5 minutes.
    expect(wakes).toBe(1);
    const at = new Date(NOW.getTime() + 15 * 60_000);
    expect((await runMonitorPass(t.db, STORE, at)).fired.map((v) => [v.monitor, v.target])).toEqual([
      ['number_quality', 'all'],
    ]);
    expect((await runMonitorPass(t.db, STORE, at)).fired).toEqual([]);
    expect(await resume('all')).toMatchObject({ status: 200 });

    const template = defaultLaneSettings(LANE).steps[0]!.template;
    expect(
      await webhook('template_category_update', {
        message_template_id: 1,
        message_template_name: template,
        message_template_language: 'en',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
    ).toBe(200);
    const fired = (await runMonitorPass(t.db, STORE, new Date(at.getTime() + 60_000))).fired;
    expect(fired.map((v) => [v.monitor, v.target, v.reason])).toEqual([
      ['template_status', LANE, 'template_category_changed'],
    ]);
    expect(await resume(LANE)).toMatchObject({ status: 200 });

    expect(
      await webhook('message_template_status_update', {
        event: 'PAUSED',
        message_template_name: template,
        message_template_language: 'en',
        reason: 'LOW_QUALITY',
      }),
    ).toBe(200);
    const paused = (await runMonitorPass(t.db, STORE, new Date(at.getTime() + 120_000))).fired;
    expect(paused.map((v) => v.reason)).toEqual(['template_paused']);
    expect(
      await t.db.selectFrom('monitor_signals').select('handled_at').where('handled_at', 'is', null).execute(),
    ).toEqual([]);
  });

  it('an unsigned template webhook changes nothing', async () => {
    const res = await fetch(`${t.base}/v1/webhooks/whatsapp/cloud`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` },
      body: JSON.stringify({ object: 'whatsapp_business_account', entry: [] }),
    });
    expect(res.status).toBe(401);
  });

  it('thresholds: validated with the field named, then stored', async () => {
    const bad = await signedRequest(t.base, 'PUT', '/v1/admin/monitors/settings', JSON.stringify({ optOutRate: 3 }));
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_thresholds', path: 'optOutRate' } } });
    const good = await signedRequest(
      t.base,
      'PUT',
      '/v1/admin/monitors/settings',
      JSON.stringify({ optOutRate: 0.05 }),
    );
    expect(good.status).toBe(200);
    expect((await signedRequest(t.base, 'GET', '/v1/admin/monitors')).body.thresholds.optOutRate).toBe(0.05);
  });

  it('the weekly summary: revenue recovered in the week, sends, opt-outs; the lift left to the measurement', async () => {
    const paid = new Date(Date.now() - 2 * 24 * HOUR);
    const old = new Date(Date.now() - 9 * 24 * HOUR);
    for (const [orderId, at, amount] of [
      [501, paid, 459900],
      [502, paid, 100],
      [503, old, 99999],
    ] as const) {
      await t.db
        .insertInto('orders')
        .values({ store_id: STORE, order_id: orderId, currency: 'INR', paid_at: at, created_at: at, updated_at: at })
        .execute();
      await t.db
        .insertInto('attributions')
        .values({
          store_id: STORE,
          order_id: orderId,
          kind: 'recovered',
          message_id: orderId,
          lane: LANE,
          step: 0,
          enrollment_id: orderId,
          coupon_code: null,
          touched_at: at,
          amount,
          currency: 'INR',
          refunded: false,
          decided_at: at,
        })
        .execute();
    }
    const real = new Date();
    await optOuts((await sends(3, 24, 1, real)).slice(0, 1), 24, real);
    const res = await signedRequest(t.base, 'GET', '/v1/admin/summary/weekly');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      recovered: [{ currency: 'INR', orders: 2, amount: 460000 }],
      influenced: [],
      // No holdout journeys this week: nothing to compare with yet, said so in the email's words.
      incremental: {
        estimate: null,
        text: 'Incremental revenue (against the holdout group): not enough data yet to compare with the holdout.',
      },
    });
    expect(res.body).toMatchObject({ sent: 3, opt_outs: 1 });
  });
});
