import { registerTemplates } from '../../../src/fake-whatsapp/templates';
import { validateMessage, type Validation } from '../../../src/fake-whatsapp/validate';
import {
  CURRENCY_PARAMETERS,
  defaultLaneSettings,
  LANE_NAMES,
  type LaneStep,
  type ParameterMapping,
  type ParameterName,
} from '../../../src/engine/lanes';
import { renderStep, type CartFacts, type RenderOptions } from '../../../src/engine/render';
import type { TemplateComponent } from '../../../src/whatsapp/types';

/**
 * Every lane's default steps against the templates the fake WhatsApp registers (and the README
 * lists for WhatsApp Manager): the same header, body parameters in number and kind, and buttons,
 * so a default step never fails its send with 132000 (parameter count mismatch) or 132012.
 */

const templates = registerTemplates();
const options: RenderOptions = { locale: 'en_IN' };
const LINK_CODE = 'Ab3kQ9xYz012';

function send(template: string, language: string, components: TemplateComponent[]): Validation {
  return validateMessage(
    {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+919812345678',
      type: 'template',
      template: { name: template, language: { code: language }, components },
    },
    { templates, serviceWindowOpen: () => false },
  );
}

/** A value of the right kind for every mapped parameter, in the Cloud API's wire format. */
function filled(mapping: ParameterMapping): TemplateComponent[] {
  const value = (name: ParameterName) =>
    (CURRENCY_PARAMETERS as readonly string[]).includes(name)
      ? { type: 'currency' as const, currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1299000 } }
      : { type: 'text' as const, text: name === 'link_code' || name === 'pay_link' ? LINK_CODE : `x-${name}` };
  const components: TemplateComponent[] = [];
  if (mapping.header !== null) {
    const image = mapping.header === 'first_item_image' || mapping.header === 'product_image';
    components.push({
      type: 'header',
      parameters: [image ? { type: 'image', image: { link: 'https://shop.example/p.jpg' } } : value(mapping.header)],
    } as TemplateComponent);
  }
  components.push({ type: 'body', parameters: mapping.body.map(value) } as TemplateComponent);
  mapping.buttons.forEach((button, i) =>
    components.push(
      (button.type === 'url'
        ? { type: 'button', sub_type: 'url', index: String(i), parameters: [value(button.parameter)] }
        : {
            type: 'button',
            sub_type: 'quick_reply',
            index: String(i),
            parameters: [{ type: 'payload', payload: button.payload }],
          }) as TemplateComponent,
    ),
  );
  return components;
}

const steps = LANE_NAMES.flatMap((lane) =>
  defaultLaneSettings(lane).steps.map((step, i) => ({ lane, n: i + 1, step })),
);

describe("each lane's default steps against the fake's registered templates", () => {
  it.each(steps)('$lane step $n: its template and its text-only one take its parameters', ({ lane, step }) => {
    const category = defaultLaneSettings(lane).category.toUpperCase();
    const variants: Array<[string, ParameterMapping]> = [[step.template, step.parameters]];
    if (step.template_without_image) variants.push([step.template_without_image, { ...step.parameters, header: null }]);
    for (const [name, mapping] of variants) {
      const result = send(name, step.language, filled(mapping));
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.details ?? ''}`);
      expect(result.message.template?.category).toBe(category);
      const url = result.message.rendered.buttons.find((b) => b.type === 'URL')?.url;
      expect(url).toBe(`https://cartback.example/r/${LINK_CODE}`);
      expect(result.message.rendered.body).not.toMatch(/\{\{\d+\}\}/);
    }
  });

  it('names every default template the fake registers (and the coupon one), and no two lanes share one', () => {
    const named = steps.flatMap(({ step }) => [step.template, step.template_without_image].filter(Boolean));
    expect(new Set(named).size).toBe(named.length);
    expect(new Set(templates.map((t) => t.name))).toEqual(new Set([...named, 'cart_reminder_2_coupon']));
  });

  it('takes a coupon step as cart_reminder_2_coupon, and without its coupon as cart_reminder_2_text', () => {
    const step = defaultLaneSettings('abandoned_cart').steps[1]!;
    const coupon: ParameterMapping = {
      header: null,
      body: ['first_name', 'coupon_value', 'coupon_code', 'item_count', 'first_item_name', 'cart_total'],
      buttons: step.parameters.buttons,
    };
    const withCoupon = send('cart_reminder_2_coupon', 'en', filled(coupon));
    if (!withCoupon.ok) throw new Error(`${withCoupon.error.code} ${withCoupon.error.details ?? ''}`);
    expect(withCoupon.message.rendered.body).toContain('Here is x-coupon_value your order with the code x-coupon_code');
    const dropped = { ...coupon, body: coupon.body.filter((n) => n !== 'coupon_code' && n !== 'coupon_value') };
    expect(send('cart_reminder_2_text', 'en', filled(dropped)).ok).toBe(true);
  });

  it('keeps payment recovery free of promotion: utility templates without discount or offer words', () => {
    for (const step of defaultLaneSettings('payment_recovery').steps) {
      const template = templates.find((t) => t.name === step.template)!;
      expect(template.category).toBe('UTILITY');
      const words = JSON.stringify(template.components);
      expect(words).not.toMatch(/discount|coupon|sale|offer|% off|deal|free|save/i);
    }
  });
});

describe("the renderer's output for the default steps, as the fake takes it", () => {
  const product = (id: number, name: string) => ({ name, price: 129900, image_url: `https://shop.example/${id}.jpg` });
  const facts = (change: Partial<CartFacts> = {}): CartFacts => ({
    firstName: 'Anna',
    lines: [
      {
        product_id: 42,
        name: 'Handloom cotton kurta',
        quantity: 2,
        unit_price: 129900,
        line_total: 259800,
        image_url: 'https://shop.example/42.jpg',
        url: 'https://shop.example/product/42/',
      },
    ],
    total: 259800,
    currency: 'INR',
    storeName: 'Kurta Co',
    linkCode: LINK_CODE,
    ...change,
  });
  const cases: Array<[string, LaneStep, CartFacts]> = [
    ...defaultLaneSettings('abandoned_cart').steps.map((s, i): [string, LaneStep, CartFacts] => [
      `cart ${i + 1}`,
      s,
      facts(),
    ]),
    ['browse', defaultLaneSettings('browse_abandonment').steps[0]!, facts({ products: [product(42, 'Kurta')] })],
    [
      'win-back',
      defaultLaneSettings('winback').steps[0]!,
      facts({ products: [product(51, 'Silk scarf'), product(52, 'Cushion'), product(53, 'Brass lamp')] }),
    ],
  ];

  it.each(cases)('%s: with an image and without one', (_what, step, given) => {
    const noImage: CartFacts = {
      ...given,
      lines: given.lines.map((l) => ({ ...l, image_url: undefined })),
      products: given.products?.map((p) => ({ ...p, image_url: null })),
    };
    for (const f of [given, noImage]) {
      const rendered = renderStep(step, f, options);
      const result = send(rendered.template, step.language, rendered.components);
      if (!result.ok) throw new Error(`${rendered.template}: ${result.error.code} ${result.error.details ?? ''}`);
    }
    expect(renderStep(step, noImage, options).template).toBe(step.template_without_image);
  });
});
