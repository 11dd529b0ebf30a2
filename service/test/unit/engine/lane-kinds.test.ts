import {
  defaultLaneSettings,
  LANE_NAMES,
  validateLaneSettings,
  type LaneName,
  type LaneSettings,
} from '../../../src/engine/lanes';

/** A valid body of `lane` with one change applied (a deep copy of its defaults, changed in place). */
function body(lane: LaneName, change: (s: LaneSettings & Record<string, unknown>) => void): unknown {
  const settings = defaultLaneSettings(lane) as LaneSettings & Record<string, unknown>;
  change(settings);
  return settings;
}

function refusal(lane: LaneName, input: unknown): { path: string; message: string } {
  const result = validateLaneSettings(lane, input);
  if (result.ok) throw new Error(`${lane}: expected a refusal, the settings were accepted`);
  return { path: result.path, message: result.message };
}

describe('the four lanes', () => {
  it('are named in order of precedence', () => {
    expect(LANE_NAMES).toEqual(['payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback']);
  });

  it.each(LANE_NAMES)('%s: its defaults pass its own validation, so GET then PUT round-trips', (lane) => {
    const defaults = defaultLaneSettings(lane);
    expect(validateLaneSettings(lane, JSON.parse(JSON.stringify(defaults)))).toEqual({ ok: true, value: defaults });
  });

  it('start disabled, all but the cart lane, so nothing goes before a lane is built and turned on', () => {
    expect(LANE_NAMES.filter((lane) => defaultLaneSettings(lane).enabled)).toEqual(['abandoned_cart']);
  });
});

describe('browse_abandonment defaults', () => {
  it('are one marketing message 30 minutes after the view, once per product per 7 days', () => {
    expect(defaultLaneSettings('browse_abandonment')).toEqual({
      enabled: false,
      category: 'marketing',
      inactivity_delay: 'PT30M',
      steps: [
        {
          delay: 'PT30M',
          template: 'browse_reminder_1',
          template_without_image: 'browse_reminder_1_text',
          language: 'en',
          parameters: {
            header: 'product_image',
            body: ['first_name', 'product_name', 'product_price'],
            buttons: [
              { type: 'url', parameter: 'link_code' },
              { type: 'quick_reply', payload: 'STOP' },
            ],
          },
        },
      ],
      holdout_percent: 10,
      quiet_hours: { start: '21:00', end: '09:00' },
      cap_per_contact: { max: 2, window: 'PT24H' },
      lane_cap: null,
      repeat_after: 'P7D',
    });
  });
});

describe('payment_recovery defaults', () => {
  it('are utility: +30 min complete your payment with the pay link, +24 h an offer of help', () => {
    const settings = defaultLaneSettings('payment_recovery');
    expect(settings.enabled).toBe(false);
    expect(settings.category).toBe('utility');
    expect(settings.inactivity_delay).toBe('PT30M');
    expect(settings.steps.map((s) => [s.delay, s.template])).toEqual([
      ['PT30M', 'payment_reminder_1'],
      ['PT24H', 'payment_help_1'],
    ]);
    expect(settings.steps[0]!.parameters).toEqual({
      header: null,
      body: ['first_name', 'order_number', 'order_total'],
      buttons: [{ type: 'url', parameter: 'pay_link' }],
    });
    expect(settings.steps[1]!.parameters.buttons).toContainEqual({ type: 'quick_reply', payload: 'HELP' });
    expect(settings).not.toHaveProperty('repeat_after');
  });
});

describe('winback defaults', () => {
  it('are one marketing message to a contact lapsed 60 days, at most every 30 days, up to 3 products', () => {
    const settings = defaultLaneSettings('winback');
    expect(settings).toMatchObject({
      enabled: false,
      category: 'marketing',
      lapse_after: 'P60D',
      repeat_after: 'P30D',
      max_products: 3,
    });
    expect(settings.steps).toHaveLength(1);
    expect(settings.steps[0]!.parameters.body).toContain('product_names');
  });
});

describe('lane-specific validation', () => {
  it.each<[string, LaneName, (s: LaneSettings & Record<string, unknown>) => void, string, string]>([
    [
      'payment recovery made marketing',
      'payment_recovery',
      (s) => ((s as Record<string, unknown>).category = 'marketing'),
      'category',
      'category of the payment_recovery lane is utility and cannot be changed: it is never promotional',
    ],
    [
      'a coupon in a payment recovery body',
      'payment_recovery',
      (s) => s.steps[0]!.parameters.body.push('coupon_code'),
      'steps[0].parameters.body[3]',
      'steps[0].parameters.body[3] is an incentive (coupon_code): the payment_recovery lane is utility only',
    ],
    [
      'a coupon in a payment recovery URL button',
      'payment_recovery',
      (s) => (s.steps[1]!.parameters.buttons[0] = { type: 'url', parameter: 'coupon_code' }),
      'steps[1].parameters.buttons[0].parameter',
      'is an incentive (coupon_code)',
    ],
    [
      'a coupon in a payment recovery header',
      'payment_recovery',
      (s) => (s.steps[1]!.parameters.header = 'coupon_code'),
      'steps[1].parameters.header',
      'is an incentive (coupon_code)',
    ],
    [
      'a cart value in a payment recovery step',
      'payment_recovery',
      (s) => s.steps[0]!.parameters.body.push('cart_total'),
      'steps[0].parameters.body[3]',
      'must be one of first_name, store_name, order_number, order_total, pay_link',
    ],
    [
      'an image fallback in the imageless payment lane',
      'payment_recovery',
      (s) => (s.steps[0]!.template_without_image = 'x_text'),
      'steps[0].template_without_image',
      'only for a step with an image header, which the payment_recovery lane has none of',
    ],
    [
      'a product in a cart step',
      'abandoned_cart',
      (s) => s.steps[0]!.parameters.body.push('product_name'),
      'steps[0].parameters.body[4]',
      'must be one of',
    ],
    [
      'a pay link in a browse step',
      'browse_abandonment',
      (s) => (s.steps[0]!.parameters.buttons[0] = { type: 'url', parameter: 'pay_link' }),
      'steps[0].parameters.buttons[0].parameter',
      'must be one of',
    ],
    [
      'a browse message without STOP',
      'browse_abandonment',
      (s) => s.steps[0]!.parameters.buttons.pop(),
      'steps[0].parameters.buttons',
      'must include an opt-out quick reply (payload STOP)',
    ],
    [
      'browse without repeat_after',
      'browse_abandonment',
      (s) => delete s.repeat_after,
      'repeat_after',
      'repeat_after is required',
    ],
    [
      'a month as browse repeat_after',
      'browse_abandonment',
      (s) => (s.repeat_after = 'P1M'),
      'repeat_after',
      'repeat_after must use weeks, days, hours',
    ],
    [
      'lapse_after in the browse lane',
      'browse_abandonment',
      (s) => (s.lapse_after = 'P60D'),
      'lapse_after',
      'lapse_after is not a setting of the browse_abandonment lane',
    ],
    [
      'repeat_after in the cart lane',
      'abandoned_cart',
      (s) => (s.repeat_after = 'P7D'),
      'repeat_after',
      'repeat_after is not a setting of the abandoned_cart lane',
    ],
    [
      'repeat_after in the payment lane',
      'payment_recovery',
      (s) => (s.repeat_after = 'P7D'),
      'repeat_after',
      'repeat_after is not a setting of the payment_recovery lane',
    ],
    ['winback without lapse_after', 'winback', (s) => delete s.lapse_after, 'lapse_after', 'lapse_after is required'],
    [
      'a lapse of zero days',
      'winback',
      (s) => (s.lapse_after = 'P0D'),
      'lapse_after',
      'lapse_after must be longer than zero',
    ],
    [
      'four winback products',
      'winback',
      (s) => (s.max_products = 4),
      'max_products',
      'max_products must be less than or equal to 3',
    ],
    [
      'no winback products',
      'winback',
      (s) => (s.max_products = 0),
      'max_products',
      'max_products must be greater than or equal to 1',
    ],
  ])('refuses %s, naming the field', (_what, lane, change, path, message) => {
    const result = refusal(lane, body(lane, change));
    expect(result.path).toBe(path);
    expect(result.message).toContain(message);
    expect(result.message).not.toContain('"');
  });

  it('accepts a payment recovery lane with a longer first wait and one step', () => {
    const input = body('payment_recovery', (s) => {
      s.inactivity_delay = 'PT1H';
      s.steps = [{ ...s.steps[0]!, delay: 'PT1H' }];
    });
    expect(validateLaneSettings('payment_recovery', input)).toEqual({ ok: true, value: input });
  });

  it('accepts a winback lane of 90 days, every 45 days, 2 products, with a coupon', () => {
    const input = body('winback', (s) => {
      s.lapse_after = 'P90D';
      s.repeat_after = 'P45D';
      s.max_products = 2;
      s.steps[0]!.parameters.body.push('coupon_code');
    });
    expect(validateLaneSettings('winback', input)).toEqual({ ok: true, value: input });
  });
});
