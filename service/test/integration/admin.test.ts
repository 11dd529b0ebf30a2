import { signatureHeaders } from '@cartback/shared';
import { defaultLaneSettings, type LaneSettings } from '../../src/engine/lanes';
import { holdoutSalt, isSendingPaused, laneSettings, saveLaneSettings } from '../../src/recovery/settings';
import { TEST_SECRET, useTestApp, type Reply } from '../support/http';

const t = useTestApp();
const STORE = 1;
const LANE_PATH = '/v1/admin/lanes/abandoned_cart';

/** Sends a request signed as the plugin signs it (over '' when there is no body); `secret` overrides the key. */
async function signedRequest(
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body = '',
  sign: { secret?: string } = {},
): Promise<Reply> {
  const headers = signatureHeaders(sign.secret ?? TEST_SECRET, { method, path, body });
  const res = await fetch(t.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const put = (settings: unknown, path = LANE_PATH) => signedRequest('PUT', path, JSON.stringify(settings));

/** The stored `lane_settings` rows and `settings` rows: "nothing changed" means these do not move. */
async function stored(): Promise<{ lanes: unknown[]; settings: unknown[] }> {
  return {
    lanes: await t.db.selectFrom('lane_settings').selectAll().orderBy('lane').execute(),
    settings: await t.db.selectFrom('settings').selectAll().orderBy('name').execute(),
  };
}

/** The defaults with a longer inactivity delay (and first step) and another holdout share. */
function changed(): LaneSettings {
  const defaults = defaultLaneSettings('abandoned_cart');
  const steps = defaults.steps.map((step, i) => (i === 0 ? { ...step, delay: 'PT30M' } : step));
  return { ...defaults, inactivity_delay: 'PT30M', steps, holdout_percent: 12.5 };
}

describe('lane settings', () => {
  it('returns the defaults before anything is stored', async () => {
    expect(await signedRequest('GET', LANE_PATH)).toEqual({
      status: 200,
      body: { lane: 'abandoned_cart', settings: defaultLaneSettings('abandoned_cart') },
    });
    expect(await signedRequest('GET', '/v1/admin/status')).toEqual({
      status: 200,
      body: {
        paused: false,
        monitor_paused: [],
        lanes: [
          { lane: 'payment_recovery', enabled: false },
          { lane: 'abandoned_cart', enabled: true },
          { lane: 'browse_abandonment', enabled: false },
          { lane: 'winback', enabled: false },
        ],
        messages: { unknown: 0, lost: 0, reconcile_window_seconds: 36 * 3600 },
      },
    });
  });

  it('stores a changed inactivity delay and holdout, and returns them from then on', async () => {
    const settings = changed();
    expect(await put(settings)).toEqual({ status: 200, body: { lane: 'abandoned_cart', settings } });
    expect(await signedRequest('GET', LANE_PATH)).toEqual({ status: 200, body: { lane: 'abandoned_cart', settings } });
    const row = await t.db.selectFrom('lane_settings').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ store_id: STORE, lane: 'abandoned_cart' });
    expect(JSON.parse(row.settings)).toEqual(settings);
    expect(await laneSettings(t.db, STORE, 'abandoned_cart')).toEqual(settings);
  });

  it('replaces the stored settings on the next PUT, and reports a disabled lane in the status', async () => {
    const settings = { ...changed(), enabled: false, holdout_percent: 0 };
    expect((await put(settings)).status).toBe(200);
    expect(await t.db.selectFrom('lane_settings').select('lane').execute()).toHaveLength(1);
    expect((await signedRequest('GET', LANE_PATH)).body.settings).toEqual(settings);
    expect((await signedRequest('GET', '/v1/admin/status')).body.lanes).toContainEqual({
      lane: 'abandoned_cart',
      enabled: false,
    });
  });

  const base = changed();
  const steps = base.steps;
  // [case, body, the error's path (none when the body as a whole is wrong), how its message begins]
  const invalid: Array<[string, unknown, string | undefined, RegExp]> = [
    ['a holdout of 80 %', { ...base, holdout_percent: 80 }, 'holdout_percent', /^holdout_percent must be less than/],
    ['a holdout given as a string', { ...base, holdout_percent: '10' }, 'holdout_percent', /^holdout_percent must be/],
    [
      'a step delay of "soon"',
      { ...base, steps: steps.map((s, i) => (i === 1 ? { ...s, delay: 'soon' } : s)) },
      'steps[1].delay',
      /^steps\[1\]\.delay must be an ISO 8601 duration/,
    ],
    ['missing steps', { ...base, steps: undefined }, 'steps', /^steps is required/],
    ['no steps', { ...base, steps: [] }, 'steps', /^steps must contain at least 1/],
    [
      'decreasing step delays',
      { ...base, steps: [steps[1], steps[0]] },
      'steps[1].delay',
      /^steps\[1\]\.delay \(PT30M\) must be later/,
    ],
    [
      'a first step before the inactivity delay',
      { ...base, inactivity_delay: 'PT1H' },
      'steps[0].delay',
      /^steps\[0\]\.delay \(PT30M\) must not be earlier than inactivity_delay/,
    ],
    ['a changed category', { ...base, category: 'utility' }, 'category', /^category of the abandoned_cart lane is/],
    ['an unknown field', { ...base, colour: 'green' }, 'colour', /^colour is not allowed/],
    ['an array', [base], undefined, /^body must be of type object/],
  ];

  it.each(invalid)('refuses %s with 400 naming the field, storing nothing', async (_name, settings, path, message) => {
    const before = await stored();
    const reply = await put(settings);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: { code: 'invalid_settings', message: expect.stringMatching(message), path } });
    expect(await stored()).toEqual(before);
  });

  it.each(['browse_abandonment', 'payment_recovery', 'winback'] as const)(
    '%s: returns its defaults (disabled), stores a change, and keeps it apart from the other lanes',
    async (lane) => {
      const path = `/v1/admin/lanes/${lane}`;
      expect(await signedRequest('GET', path)).toEqual({
        status: 200,
        body: { lane, settings: { ...defaultLaneSettings(lane), enabled: false } },
      });
      const cart = await laneSettings(t.db, STORE, 'abandoned_cart');
      const settings = { ...defaultLaneSettings(lane), enabled: true, holdout_percent: 5 };
      expect(await put(settings, path)).toEqual({ status: 200, body: { lane, settings } });
      expect(await laneSettings(t.db, STORE, lane)).toEqual(settings);
      expect(await laneSettings(t.db, STORE, 'abandoned_cart')).toEqual(cart);
      expect((await signedRequest('GET', '/v1/admin/status')).body.lanes).toContainEqual({ lane, enabled: true });
    },
  );

  it.each<[string, (s: LaneSettings) => unknown, string, RegExp]>([
    [
      'a marketing category',
      (s) => ({ ...s, category: 'marketing' }),
      'category',
      /^category of the payment_recovery lane is utility and cannot be changed/,
    ],
    [
      'a coupon in a step',
      (s) => ({
        ...s,
        steps: s.steps.map((step, i) =>
          i === 1
            ? { ...step, parameters: { ...step.parameters, body: [...step.parameters.body, 'coupon_code'] } }
            : step,
        ),
      }),
      'steps[1].parameters.body[2]',
      /^steps\[1\]\.parameters\.body\[2\] is an incentive \(coupon_code\)/,
    ],
  ])(
    'payment_recovery: refuses %s with 400 naming the field, storing nothing',
    async (_what, change, path, message) => {
      const before = await stored();
      const reply = await put(change(defaultLaneSettings('payment_recovery')), '/v1/admin/lanes/payment_recovery');
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: { code: 'invalid_settings', message: expect.stringMatching(message), path },
      });
      expect(await stored()).toEqual(before);
    },
  );

  it('refuses malformed JSON with 400, storing nothing', async () => {
    const before = await stored();
    const reply = await signedRequest('PUT', LANE_PATH, '{"enabled": ');
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    expect(await stored()).toEqual(before);
  });

  it('answers 404 unknown_lane for a lane it does not know, on GET and PUT', async () => {
    const before = await stored();
    for (const reply of [
      await signedRequest('GET', '/v1/admin/lanes/birthday'),
      await put(changed(), '/v1/admin/lanes/birthday'),
    ]) {
      expect(reply).toEqual({
        status: 404,
        body: { error: { code: 'unknown_lane', message: expect.any(String), path: 'lane' } },
      });
    }
    expect(await stored()).toEqual(before);
  });

  it('falls back to the defaults when the stored row no longer validates', async () => {
    const other = 2;
    const now = new Date();
    await t.db
      .insertInto('lane_settings')
      .values({ store_id: other, lane: 'abandoned_cart', settings: '{"enabled":true}', updated_at: now })
      .execute();
    expect(await laneSettings(t.db, other, 'abandoned_cart')).toEqual(defaultLaneSettings('abandoned_cart'));
    await t.db.updateTable('lane_settings').set({ settings: 'not json' }).where('store_id', '=', other).execute();
    expect(await laneSettings(t.db, other, 'abandoned_cart')).toEqual(defaultLaneSettings('abandoned_cart'));
    await saveLaneSettings(t.db, other, 'abandoned_cart', changed(), now);
    expect(await laneSettings(t.db, other, 'abandoned_cart')).toEqual(changed());
  });
});

describe('the kill switch', () => {
  it('pauses all sending, and resumes it', async () => {
    expect(await isSendingPaused(t.db, STORE)).toBe(false);
    expect(await signedRequest('POST', '/v1/admin/pause')).toEqual({ status: 200, body: { paused: true } });
    expect((await signedRequest('GET', '/v1/admin/status')).body.paused).toBe(true);
    expect(await isSendingPaused(t.db, STORE)).toBe(true);
    // Pausing twice is no different from pausing once.
    expect(await signedRequest('POST', '/v1/admin/pause')).toEqual({ status: 200, body: { paused: true } });
    expect(await isSendingPaused(t.db, STORE)).toBe(true);

    expect(await signedRequest('POST', '/v1/admin/resume')).toEqual({ status: 200, body: { paused: false } });
    expect((await signedRequest('GET', '/v1/admin/status')).body.paused).toBe(false);
    expect(await isSendingPaused(t.db, STORE)).toBe(false);
    const row = await t.db.selectFrom('settings').selectAll().where('name', '=', 'sending_paused').execute();
    expect(row).toEqual([expect.objectContaining({ store_id: STORE, value: 'false' })]);
  });

  it('keeps one store’s switch apart from another’s', async () => {
    await signedRequest('POST', '/v1/admin/pause');
    expect(await isSendingPaused(t.db, STORE)).toBe(true);
    expect(await isSendingPaused(t.db, 2)).toBe(false);
    await signedRequest('POST', '/v1/admin/resume');
  });
});

describe('signatures', () => {
  const wrongSecret = 'another-secret-of-the-same-length-000000';
  const attempts: Array<[string, 'GET' | 'PUT' | 'POST', string, string]> = [
    ['read a lane', 'GET', LANE_PATH, ''],
    ['change a lane', 'PUT', LANE_PATH, JSON.stringify({ ...changed(), holdout_percent: 33 })],
    ['pause', 'POST', '/v1/admin/pause', ''],
    ['resume', 'POST', '/v1/admin/resume', ''],
    ['read the status', 'GET', '/v1/admin/status', ''],
    ['read an unknown lane', 'GET', '/v1/admin/lanes/birthday', ''],
  ];

  /** Puts the kill switch in the state the attempt would change, so a change could not go unnoticed. */
  const primeFor = (path: string) =>
    signedRequest('POST', path === '/v1/admin/resume' ? '/v1/admin/pause' : '/v1/admin/resume');

  it.each(attempts)('refuses to %s without a signature, changing nothing', async (_name, method, path, body) => {
    await primeFor(path);
    const before = await stored();
    const res = await fetch(t.base + path, { method, body: method === 'GET' ? undefined : body });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'missing_signature', message: expect.any(String) } });
    expect(await stored()).toEqual(before);
  });

  it.each(attempts)('refuses to %s with a wrong signature, changing nothing', async (_name, method, path, body) => {
    await primeFor(path);
    const before = await stored();
    const reply = await signedRequest(method, path, body, { secret: wrongSecret });
    expect(reply).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
    expect(await stored()).toEqual(before);
  });

  it('refuses a signature made for another admin route', async () => {
    await signedRequest('POST', '/v1/admin/resume');
    const headers = signatureHeaders(TEST_SECRET, { method: 'POST', path: '/v1/admin/resume', body: '' });
    const res = await fetch(`${t.base}/v1/admin/pause`, { method: 'POST', headers });
    expect(res.status).toBe(401);
    expect(await isSendingPaused(t.db, STORE)).toBe(false);
  });
});

describe('holdoutSalt', () => {
  it('generates 32 random bytes once and returns the same salt from then on', async () => {
    const salt = await holdoutSalt(t.db, STORE);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(32);
    expect(await holdoutSalt(t.db, STORE)).toBe(salt);
    const row = await t.db.selectFrom('settings').select('value').where('name', '=', 'holdout_salt').execute();
    expect(row).toEqual([{ value: JSON.stringify(salt) }]);
  });

  it('agrees on one salt when several callers generate it at once', async () => {
    const store = 3;
    const salts = await Promise.all(Array.from({ length: 8 }, () => holdoutSalt(t.db, store)));
    expect(new Set(salts).size).toBe(1);
    expect(await holdoutSalt(t.db, store)).toBe(salts[0]);
    expect(salts[0]).not.toBe(await holdoutSalt(t.db, STORE));
  });
});
