import type { Line } from '@cartback/shared';
import { defaultLaneSettings, type ParameterMapping } from '../../../src/engine/lanes';
import {
  RenderError,
  bodyParameters,
  currencyParameter,
  renderStep,
  renderTemplate,
  renderedBodyPreview,
  sanitizeParameter,
  type CartFacts,
} from '../../../src/engine/render';
import type { TemplateComponent, TextParameter } from '../../../src/whatsapp/types';

const mapping: ParameterMapping = defaultLaneSettings('abandoned_cart').steps[0]!.parameters;

/** A cart line; with a product image unless `image_url` is null. */
const line = (name: string, quantity = 1, image_url: string | null = 'https://shop.example/p/7.jpg'): Line => ({
  product_id: 7,
  name,
  quantity,
  unit_price: 64950,
  line_total: 64950 * quantity,
  url: 'https://shop.example/p/7',
  ...(image_url ? { image_url } : {}),
});

function facts(patch: Partial<CartFacts> = {}): CartFacts {
  return {
    firstName: 'Anna',
    lines: [line('Silk kurta', 2, 'https://shop.example/kurta.jpg')],
    total: 129900,
    currency: 'INR',
    storeName: 'Chai & Co',
    linkCode: 'Ab3kQ9xYz012',
    ...patch,
  };
}

/** The body's text parameters, in order ({{1}}, {{2}}, …). */
function bodyTexts(components: TemplateComponent[]): string[] {
  return bodyParameters(components).map((p) => (p.type === 'text' ? p.text : p.currency.fallback_value));
}

describe('renderTemplate', () => {
  it("fills the default cart template in the Cloud API's wire format", () => {
    expect(renderTemplate(mapping, facts(), { locale: 'en_IN' })).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/kurta.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Anna' },
          { type: 'text', text: '2' },
          { type: 'text', text: 'Silk kurta' },
          { type: 'currency', currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1299000 } },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'Ab3kQ9xYz012' }] },
      { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
    ]);
  });

  it('counts items by quantity across lines', () => {
    const lines = [line('Kurta', 2), line('Scarf', 3), line('Socks')];
    expect(bodyTexts(renderTemplate(mapping, facts({ lines }), { locale: 'en' }))[1]).toBe('6');
  });

  it.each([null, '', '  \n\t '])('greets a shopper without a first name (%j) as "there"', (firstName) => {
    expect(bodyTexts(renderTemplate(mapping, facts({ firstName }), { locale: 'en' }))[0]).toBe('there');
  });

  it('uses the given word for a missing first name', () => {
    const components = renderTemplate(mapping, facts({ firstName: null }), { locale: 'de', fallbackFirstName: 'du' });
    expect(bodyTexts(components)[0]).toBe('du');
  });

  it('truncates a long product name with "…" to 60 characters, and leaves a short one alone', () => {
    const long = 'Handwoven Banarasi silk saree with zari border, blouse piece and matching dupatta in gift box';
    const [, , name] = bodyTexts(renderTemplate(mapping, facts({ lines: [line(long)] }), { locale: 'en' }));
    expect(name).toHaveLength(60);
    expect(name).toBe('Handwoven Banarasi silk saree with zari border, blouse piec…');
    const [, , short] = bodyTexts(renderTemplate(mapping, facts(), { locale: 'en' }));
    expect(short).toBe('Silk kurta');
  });

  it('honours maxParamLength, never splits an emoji and leaves no space before "…"', () => {
    const components = renderTemplate(
      mapping,
      facts({ firstName: 'Anna-Lena Maximiliane', lines: [line('Gift 🎁🎁🎁 box')] }),
      {
        locale: 'en',
        maxParamLength: 10,
      },
    );
    const [first, , name] = bodyTexts(components);
    expect(first).toBe('Anna-Lena…');
    expect(name).toBe('Gift 🎁🎁…');
    expect(
      bodyTexts(
        renderTemplate(mapping, facts({ lines: [line('Gift 🎁🎁🎁 box')] }), { locale: 'en', maxParamLength: 9 }),
      )[2],
    ).toBe('Gift 🎁…');
  });

  it('turns newlines and tabs into spaces and collapses runs of spaces, as WhatsApp requires', () => {
    const lines = [line('Silk\r\nkurta\t\t(red)     XL  ')];
    const texts = bodyTexts(renderTemplate(mapping, facts({ firstName: ' Anna\n', lines }), { locale: 'en' }));
    expect(texts[0]).toBe('Anna');
    expect(texts[2]).toBe('Silk kurta (red) XL');
  });

  it('sends only parameters WhatsApp accepts, whatever the shop data holds', () => {
    const nasty = ['\n', '\t\t', 'a\u2028b', 'x     y', '\u0000z', '  ', 'long '.repeat(40)];
    for (const value of nasty) {
      const components = renderTemplate(
        { header: 'store_name', body: ['first_name', 'first_item_name', 'store_name'], buttons: mapping.buttons },
        facts({ firstName: value, lines: [line(value)], storeName: `Shop ${value}` }),
        { locale: 'en' },
      );
      const texts = components.flatMap((c) =>
        c.parameters.filter((p): p is TextParameter => p.type === 'text').map((p) => p.text),
      );
      for (const text of texts) {
        expect(text).not.toBe('');
        expect(text).not.toMatch(/[\n\r\t\u2028]| {5}/);
        expect(text).not.toContain('\u0000');
        expect(text).toBe(text.trim());
        expect(text.length).toBeLessThanOrEqual(60);
      }
    }
  });

  it('refuses an image header without an image: WhatsApp would refuse the send (132000)', () => {
    const lines = [line('Kurta', 1, null), line('Scarf', 1, 'https://shop.example/scarf.jpg')];
    expect(() => renderTemplate(mapping, facts({ lines }), { locale: 'en' })).toThrow(
      expect.objectContaining({ name: 'RenderError', parameter: 'first_item_image' }),
    );
  });

  it("uses the store's placeholder image when the first item has none", () => {
    const components = renderTemplate(mapping, facts({ lines: [line('Kurta', 1, null)] }), {
      locale: 'en',
      defaultImageUrl: 'https://shop.example/wp-content/uploads/woocommerce-placeholder.png',
    });
    expect(components[0]).toEqual({
      type: 'header',
      parameters: [
        { type: 'image', image: { link: 'https://shop.example/wp-content/uploads/woocommerce-placeholder.png' } },
      ],
    });
  });

  it('puts only a JPEG or PNG in the image header: a WebP product photo gives way to the placeholder, a WebP placeholder to none', () => {
    const header = (first: string | null, placeholder: string | null) => {
      try {
        const [component] = renderTemplate(mapping, facts({ lines: [line('Kurta', 1, first)] }), {
          locale: 'en',
          defaultImageUrl: placeholder,
        });
        const image = component?.type === 'header' ? component.parameters[0] : undefined;
        return image?.type === 'image' && 'link' in image.image ? image.image.link : null;
      } catch (error) {
        if (error instanceof RenderError) return null;
        throw error;
      }
    };
    const png = 'https://shop.example/wp-content/uploads/woocommerce-placeholder-600x600.png';
    expect(header('https://shop.example/wp-content/uploads/kurta-600x600.JPG?v=2', png)).toBe(
      'https://shop.example/wp-content/uploads/kurta-600x600.JPG?v=2',
    );
    expect(header('https://shop.example/wp-content/uploads/kurta.jpeg', null)).toBe(
      'https://shop.example/wp-content/uploads/kurta.jpeg',
    );
    expect(header('https://shop.example/wp-content/uploads/kurta-600x600.webp', png)).toBe(png);
    // WooCommerce 10's own placeholder is a WebP: no image can be had.
    expect(header(null, 'https://shop.example/wp-content/uploads/woocommerce-placeholder-600x600.webp')).toBeNull();
    expect(header('https://shop.example/img?id=42', null)).toBeNull();
    expect(header('https://shop.example/wp-content/uploads/kurta.gif', null)).toBeNull();
    expect(header('not a url.png', null)).toBeNull();
  });

  it('fills a coupon code, and refuses to render without one when the step needs it', () => {
    const withCoupon: ParameterMapping = { ...mapping, body: [...mapping.body, 'coupon_code'] };
    expect(bodyTexts(renderTemplate(withCoupon, facts({ couponCode: 'BACK10-X7Q' }), { locale: 'en' }))[4]).toBe(
      'BACK10-X7Q',
    );
    expect(() => renderTemplate(withCoupon, facts(), { locale: 'en' })).toThrow(RenderError);
    expect(() => renderTemplate(withCoupon, facts(), { locale: 'en' })).toThrow('No coupon code to fill coupon_code');
  });

  it('refuses to render without a link code or without lines', () => {
    expect(() => renderTemplate(mapping, facts({ linkCode: ' ' }), { locale: 'en' })).toThrow(
      expect.objectContaining({ name: 'RenderError', parameter: 'link_code' }),
    );
    expect(() => renderTemplate({ ...mapping, header: null }, facts({ lines: [] }), { locale: 'en' })).toThrow(
      expect.objectContaining({ parameter: 'first_item_name' }),
    );
  });
});

describe('currencyParameter', () => {
  it.each([
    ['en-IN', 'INR', 129900, '₹1,299.00', 1299000],
    ['en_IN', 'INR', 129900, '₹1,299.00', 1299000],
    ['de-DE', 'EUR', 129900, '1.299,00\u00a0€', 1299000],
    ['de_DE_formal', 'EUR', 5, '0,05\u00a0€', 50],
    ['ja-JP', 'JPY', 1299, '￥1,299', 1299000],
    ['en-US', 'USD', 1999, '$19.99', 19990],
    ['en', 'KWD', 12345, 'KWD\u00a012.345', 12345],
    ['en-IN', 'INR', 1234567890, '₹1,23,45,678.90', 12345678900],
    ['not a locale!', 'USD', 100, '$1.00', 1000],
  ])('%s %s %i → %j, amount_1000 %i', (locale, currency, minor, fallback, amount1000) => {
    expect(currencyParameter(minor, currency, locale)).toEqual({
      type: 'currency',
      currency: { fallback_value: fallback, code: currency, amount_1000: amount1000 },
    });
  });

  it('keeps amounts exact where floats would not (0.1 + 0.2 style totals)', () => {
    expect(currencyParameter(30, 'USD', 'en').currency).toEqual({
      fallback_value: '$0.30',
      code: 'USD',
      amount_1000: 300,
    });
    expect(currencyParameter(900719925474, 'USD', 'en').currency.amount_1000).toBe(9007199254740);
  });

  it('refuses a fractional, negative or unsafe total and a code that is not ISO 4217', () => {
    expect(() => currencyParameter(1299.5, 'INR', 'en')).toThrow(RenderError);
    expect(() => currencyParameter(-1, 'INR', 'en')).toThrow(RenderError);
    expect(() => currencyParameter(Number.MAX_SAFE_INTEGER, 'INR', 'en')).toThrow('too large');
    expect(() => currencyParameter(100, 'rupees', 'en')).toThrow('not ISO 4217');
  });
});

describe('sanitizeParameter', () => {
  it.each([
    ['a\nb', 'a b'],
    ['a\r\n\r\nb', 'a b'],
    ['\ta\tb\t', 'a b'],
    ['a     b', 'a b'],
    ['1.299,00\u00a0€', '1.299,00\u00a0€'],
    ['   ', ''],
  ])('%j → %j', (input, output) => {
    expect(sanitizeParameter(input)).toBe(output);
  });
});

describe('renderedBodyPreview', () => {
  it('shows the body as the shopper reads it', () => {
    const components = renderTemplate(mapping, facts(), { locale: 'en-IN' });
    const body = 'Hi {{1}}, your {{2}} items ({{3}}) are waiting: {{4}}. Reply STOP to opt out.';
    expect(renderedBodyPreview(body, bodyParameters(components))).toBe(
      'Hi Anna, your 2 items (Silk kurta) are waiting: ₹1,299.00. Reply STOP to opt out.',
    );
  });

  it('takes plain strings too and leaves a placeholder without a parameter as it is', () => {
    expect(renderedBodyPreview('Hi {{1}}, {{ 2 }} and {{3}}', ['Anna', 'Ravi'])).toBe('Hi Anna, Ravi and {{3}}');
  });
});

describe('renderStep', () => {
  const step = defaultLaneSettings('abandoned_cart').steps[0]!;
  const noImage = facts({ lines: [line('Kurta', 1, null)] });

  it("sends the step's template with the first item's image", () => {
    const rendered = renderStep(step, facts(), { locale: 'en' });
    expect(rendered.template).toBe('cart_reminder_1');
    expect(rendered.components[0]).toMatchObject({ type: 'header' });
  });

  it("sends the step's template with the store's placeholder when the first item has no image", () => {
    const rendered = renderStep(step, noImage, { locale: 'en', defaultImageUrl: 'https://shop.example/ph.png' });
    expect(rendered.template).toBe('cart_reminder_1');
    expect(rendered.components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'image', image: { link: 'https://shop.example/ph.png' } }],
    });
  });

  it('sends the text-only alternative, the same body and buttons without the header, when no image can be had', () => {
    const rendered = renderStep(step, noImage, { locale: 'en' });
    expect(rendered.template).toBe('cart_reminder_1_text');
    const withImage = renderStep(step, noImage, { locale: 'en', defaultImageUrl: 'https://shop.example/ph.png' });
    expect(rendered.components).toEqual(withImage.components.slice(1));
  });

  it("sends the text-only alternative when the only image is WooCommerce's WebP placeholder", () => {
    const rendered = renderStep(step, noImage, {
      locale: 'en',
      defaultImageUrl: 'https://shop.example/wp-content/uploads/woocommerce-placeholder-600x600.webp',
    });
    expect(rendered.template).toBe('cart_reminder_1_text');
    expect(rendered.components.some((c) => c.type === 'header')).toBe(false);
  });

  it('refuses to render a step without an image and without an alternative', () => {
    const { template_without_image: _, ...bare } = step;
    expect(() => renderStep(bare, noImage, { locale: 'en' })).toThrow(
      expect.objectContaining({ name: 'RenderError', parameter: 'first_item_image' }),
    );
  });
});
