import { defaultLaneSettings } from '../../../src/engine/lanes';
import { RenderError, renderStep, type CartFacts } from '../../../src/engine/render';

/** The win-back template (winback_1) filled from the products its enrollment chose. */
const step = defaultLaneSettings('winback').steps[0]!;
const product = (name: string, image_url: string | null = `https://shop.example/${name}.jpg`) => ({
  name,
  price: 129900,
  image_url,
});
const facts = (products: CartFacts['products']): CartFacts => ({
  firstName: 'Anna',
  lines: [],
  total: 0,
  currency: 'INR',
  storeName: 'Chai Shop',
  linkCode: 'abc123',
  products,
});

describe('render: a win-back step', () => {
  it('names the products as one list and shows the first one image', () => {
    const rendered = renderStep(step, facts([product('Masala'), product('Assam'), product('Darjeeling')]), {
      locale: 'en_IN',
    });
    expect(rendered.template).toBe('winback_1');
    expect(rendered.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/Masala.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Anna' },
          { type: 'text', text: 'Chai Shop' },
          { type: 'text', text: 'Masala, Assam and Darjeeling' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'abc123' }] },
      { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
    ]);
  });

  it('one product alone; the list in the store language', () => {
    const one = renderStep(step, facts([product('Masala')]), { locale: 'en' });
    expect(one.components[1]).toMatchObject({ parameters: [{}, {}, { text: 'Masala' }] });
    const pt = renderStep(step, facts([product('Chá'), product('Café')]), { locale: 'pt_BR' });
    expect(pt.components[1]).toMatchObject({ parameters: [{}, {}, { text: 'Chá e Café' }] });
  });

  it('goes without image when the first product has none that WhatsApp shows, nor the store', () => {
    const rendered = renderStep(step, facts([product('Masala', null), product('Assam')]), { locale: 'en' });
    expect(rendered.template).toBe('winback_1_text');
    expect(rendered.components.map((c) => c.type)).toEqual(['body', 'button', 'button']);
    const placeholder = renderStep(step, facts([product('Masala', 'https://shop.example/a.webp')]), {
      locale: 'en',
      defaultImageUrl: 'https://shop.example/placeholder.png',
    });
    expect(placeholder.components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'image', image: { link: 'https://shop.example/placeholder.png' } }],
    });
  });

  it('refuses to render without products', () => {
    expect(() => renderStep({ ...step, template_without_image: undefined }, facts([]), { locale: 'en' })).toThrow(
      RenderError,
    );
    expect(() => renderStep(step, facts([]), { locale: 'en' })).toThrow(/No products/);
  });
});
