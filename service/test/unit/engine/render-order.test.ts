import { defaultLaneSettings } from '../../../src/engine/lanes';
import { RenderError, renderStep, type CartFacts } from '../../../src/engine/render';

/** The payment-recovery templates filled from the unpaid order. */
const [reminder, help] = defaultLaneSettings('payment_recovery').steps;
const facts = (order: CartFacts['order']): CartFacts => ({
  firstName: 'Anna',
  lines: [],
  total: 0,
  currency: 'EUR',
  storeName: 'Kurta Co',
  linkCode: 'pay123',
  ...(order ? { order } : {}),
});

describe('render: a payment-recovery step', () => {
  it('fills the order number, its total and the pay link (the tracked link code)', () => {
    const rendered = renderStep(reminder!, facts({ number: '4711', total: 4599 }), { locale: 'en_IE' });
    expect(rendered).toEqual({
      template: 'payment_reminder_1',
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Anna' },
            { type: 'text', text: '4711' },
            { type: 'currency', currency: { fallback_value: '€45.99', code: 'EUR', amount_1000: 45990 } },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'pay123' }] },
      ],
    });
  });

  it('offers help with the same pay link', () => {
    const rendered = renderStep(help!, facts({ number: '4711', total: 4599 }), { locale: 'en' });
    expect(rendered.components.at(-1)).toEqual({
      type: 'button',
      sub_type: 'quick_reply',
      index: '1',
      parameters: [{ type: 'payload', payload: 'HELP' }],
    });
  });

  it('refuses to render without its order', () => {
    expect(() => renderStep(reminder!, facts(undefined), { locale: 'en' })).toThrow(RenderError);
  });
});
