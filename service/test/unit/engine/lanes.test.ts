import {
  defaultLaneSettings,
  isLaneName,
  parseDurationMs,
  validateLaneSettings,
  type LaneSettings,
} from '../../../src/engine/lanes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A valid body with one change applied (a deep copy of the defaults, changed in place). */
function body(change: (s: LaneSettings & Record<string, unknown>) => void): unknown {
  const settings = defaultLaneSettings('abandoned_cart') as LaneSettings & Record<string, unknown>;
  change(settings);
  return settings;
}

const CART_MAPPING = {
  header: 'first_item_image',
  body: ['first_name', 'item_count', 'first_item_name', 'cart_total'],
  buttons: [
    { type: 'url', parameter: 'link_code' },
    { type: 'quick_reply', payload: 'STOP' },
  ],
};

describe('abandoned_cart defaults', () => {
  it('are the documented ones', () => {
    expect(defaultLaneSettings('abandoned_cart')).toEqual({
      enabled: true,
      category: 'marketing',
      inactivity_delay: 'PT15M',
      steps: [
        ...[1, 2, 3].map((n, i) => ({
          delay: ['PT15M', 'PT4H', 'PT23H'][i],
          template: `cart_reminder_${n}`,
          template_without_image: `cart_reminder_${n}_text`,
          language: 'en',
          parameters: CART_MAPPING,
        })),
      ],
      holdout_percent: 10,
      quiet_hours: { start: '21:00', end: '09:00' },
      cap_per_contact: { max: 2, window: 'PT24H' },
      lane_cap: null,
    });
  });

  it('pass their own validation, so GET then PUT round-trips', () => {
    const defaults = defaultLaneSettings('abandoned_cart');
    expect(validateLaneSettings('abandoned_cart', JSON.parse(JSON.stringify(defaults)))).toEqual({
      ok: true,
      value: defaults,
    });
  });

  it('are a fresh copy each time: changing one does not change the next', () => {
    const first = defaultLaneSettings('abandoned_cart');
    first.steps[0]!.parameters.body.push('store_name');
    first.quiet_hours.start = '22:00';
    const second = defaultLaneSettings('abandoned_cart');
    expect(second.steps[0]!.parameters.body).toHaveLength(4);
    expect(second.quiet_hours.start).toBe('21:00');
  });

  it('give each step its own mapping: editing step 3 leaves steps 1 and 2 alone', () => {
    const settings = defaultLaneSettings('abandoned_cart');
    settings.steps[2]!.parameters.body.push('coupon_code');
    expect(settings.steps[0]!.parameters.body).toHaveLength(4);
    expect(settings.steps[1]!.parameters.body).toHaveLength(4);
  });
});

describe('isLaneName', () => {
  it('knows the four lanes and nothing made up', () => {
    for (const lane of ['abandoned_cart', 'browse_abandonment', 'payment_recovery', 'winback']) {
      expect(isLaneName(lane)).toBe(true);
    }
    expect(isLaneName('abandoned_cart')).toBe(true);
    expect(isLaneName('abandoned-cart')).toBe(false);
    expect(isLaneName(undefined)).toBe(false);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['PT15M', 15 * MINUTE],
    ['PT4H', 4 * HOUR],
    ['PT23H', 23 * HOUR],
    ['PT24H', 24 * HOUR],
    ['P1DT12H', 36 * HOUR],
    ['P1W', 7 * 24 * HOUR],
    ['PT90S', 90_000],
  ])('%s is %i ms', (iso, ms) => {
    expect(parseDurationMs(iso)).toBe(ms);
  });

  it.each([
    ['15 minutes', 'ISO 8601 duration'],
    ['pt15m', 'ISO 8601 duration'],
    ['', 'ISO 8601 duration'],
    ['PT0M', 'longer than zero'],
    ['P0D', 'longer than zero'],
    ['-PT15M', 'longer than zero'],
    ['P1M', 'years and months vary'],
    ['P1Y', 'years and months vary'],
    ['P400D', 'at most 366 days'],
  ])('refuses %j (%s)', (iso, message) => {
    expect(() => parseDurationMs(iso)).toThrow(RangeError);
    expect(() => parseDurationMs(iso)).toThrow(message);
  });
});

describe('validateLaneSettings', () => {
  it('accepts a lane cap, a fractional holdout, a text header and a coupon in the body', () => {
    const input = body((s) => {
      s.lane_cap = { max: 3, window: 'P7D' };
      s.holdout_percent = 12.5;
      s.steps[1]!.parameters.header = 'store_name';
      delete s.steps[1]!.template_without_image;
      s.steps[1]!.parameters.body.push('coupon_code');
      delete s.steps[0]!.template_without_image;
      s.steps.push({ ...s.steps[2]!, delay: 'P2D', template: 'cart_reminder_4', language: 'en_US' });
    });
    expect(validateLaneSettings('abandoned_cart', input)).toEqual({ ok: true, value: input });
  });

  it.each<[string, (s: LaneSettings & Record<string, unknown>) => void, string, string]>([
    [
      'a delay that is not a duration',
      (s) => (s.steps[1]!.delay = 'PT4 hours'),
      'steps[1].delay',
      'steps[1].delay must be an ISO 8601 duration, such as PT15M or PT4H',
    ],
    [
      'a zero delay',
      (s) => (s.inactivity_delay = 'PT0S'),
      'inactivity_delay',
      'inactivity_delay must be longer than zero',
    ],
    [
      'a month-long cap window',
      (s) => (s.cap_per_contact.window = 'P1M'),
      'cap_per_contact.window',
      'cap_per_contact.window must use weeks, days, hours',
    ],
    [
      'a text-only alternative that is not a template name',
      (s) => (s.steps[0]!.template_without_image = 'Cart Reminder'),
      'steps[0].template_without_image',
      'steps[0].template_without_image must be a template name',
    ],
    [
      'a text-only alternative for a step without an image header',
      (s) => (s.steps[1]!.parameters.header = 'store_name'),
      'steps[1].template_without_image',
      'steps[1].template_without_image is only for a step whose header is first_item_image',
    ],
    [
      'steps out of order',
      (s) => (s.steps[2]!.delay = 'PT3H'),
      'steps[2].delay',
      'steps[2].delay (PT3H) must be later than the step before it (PT4H)',
    ],
    [
      'two steps at the same delay',
      (s) => (s.steps[1]!.delay = 'PT15M'),
      'steps[1].delay',
      'steps[1].delay (PT15M) must be later',
    ],
    [
      'a first step before the cart counts as abandoned',
      (s) => (s.inactivity_delay = 'PT30M'),
      'steps[0].delay',
      'steps[0].delay (PT15M) must not be earlier than inactivity_delay (PT30M)',
    ],
    ['no steps', (s) => (s.steps = []), 'steps', 'steps must contain at least 1 items'],
    [
      'six steps',
      (s) => s.steps.push(...s.steps.map((step, i) => ({ ...step, delay: `P${i + 2}D` }))),
      'steps',
      'steps must contain less than or equal to 5 items',
    ],
    [
      'a holdout over 50 %',
      (s) => (s.holdout_percent = 51),
      'holdout_percent',
      'holdout_percent must be less than or equal to 50',
    ],
    [
      'a negative holdout',
      (s) => (s.holdout_percent = -1),
      'holdout_percent',
      'holdout_percent must be greater than or equal to 0',
    ],
    [
      'a holdout given as text (no conversion)',
      (s) => ((s as Record<string, unknown>).holdout_percent = '10'),
      'holdout_percent',
      'holdout_percent must be a number',
    ],
    [
      'a holdout with three decimals',
      (s) => (s.holdout_percent = 10.125),
      'holdout_percent',
      'holdout_percent must have at most 2 decimal places',
    ],
    [
      'enabled given as text',
      (s) => ((s as Record<string, unknown>).enabled = 'true'),
      'enabled',
      'enabled must be a boolean',
    ],
    [
      'a 12-hour quiet start',
      (s) => (s.quiet_hours.start = '9pm'),
      'quiet_hours.start',
      'quiet_hours.start must be a time of day as HH:MM',
    ],
    [
      'a quiet end of 24:00',
      (s) => (s.quiet_hours.end = '24:00'),
      'quiet_hours.end',
      'quiet_hours.end must be a time of day',
    ],
    [
      'a cap of zero',
      (s) => (s.cap_per_contact.max = 0),
      'cap_per_contact.max',
      'cap_per_contact.max must be greater than or equal to 1',
    ],
    [
      'a fractional cap',
      (s) => (s.cap_per_contact.max = 1.5),
      'cap_per_contact.max',
      'cap_per_contact.max must be an integer',
    ],
    ['a missing lane cap', (s) => delete (s as Record<string, unknown>).lane_cap, 'lane_cap', 'lane_cap is required'],
    [
      'a utility category for a marketing lane',
      (s) => ((s as Record<string, unknown>).category = 'utility'),
      'category',
      'category of the abandoned_cart lane is marketing and cannot be changed',
    ],
    [
      'a template name with spaces',
      (s) => (s.steps[0]!.template = 'Cart reminder'),
      'steps[0].template',
      'steps[0].template must be a template name',
    ],
    [
      'a language that is not a code',
      (s) => (s.steps[0]!.language = 'English'),
      'steps[0].language',
      'steps[0].language must be a template language code',
    ],
    [
      'an image in the body',
      (s) => ((s.steps[0]!.parameters.body as string[])[1] = 'first_item_image'),
      'steps[0].parameters.body[1]',
      'steps[0].parameters.body[1] must be one of first_name, item_count',
    ],
    [
      'an unknown parameter',
      (s) => ((s.steps[0]!.parameters.body as string[])[0] = 'last_name'),
      'steps[0].parameters.body[0]',
      'must be one of',
    ],
    [
      'the total in a URL button',
      (s) => ((s.steps[0]!.parameters.buttons[0] as Record<string, unknown>).parameter = 'cart_total'),
      'steps[0].parameters.buttons[0].parameter',
      'steps[0].parameters.buttons[0].parameter must be one of',
    ],
    [
      'a payload on a URL button',
      (s) => ((s.steps[0]!.parameters.buttons[0] as Record<string, unknown>).payload = 'X'),
      'steps[0].parameters.buttons[0].payload',
      'steps[0].parameters.buttons[0].payload is not allowed',
    ],
    [
      'a marketing step without the STOP reply',
      (s) => s.steps[2]!.parameters.buttons.pop(),
      'steps[2].parameters.buttons',
      'steps[2].parameters.buttons must include an opt-out quick reply (payload STOP)',
    ],
    ['an unknown field', (s) => (s.quiet = true), 'quiet', 'quiet is not allowed'],
  ])('refuses %s, naming the field', (_what, change, path, message) => {
    const result = validateLaneSettings('abandoned_cart', body(change));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.path).toBe(path);
    expect(result.message).toContain(message);
    expect(result.message).not.toContain('"');
  });

  it('refuses a body that is not an object', () => {
    expect(validateLaneSettings('abandoned_cart', null)).toMatchObject({ ok: false, path: '' });
    expect(validateLaneSettings('abandoned_cart', [])).toMatchObject({
      ok: false,
      message: 'body must be of type object',
    });
  });
});
