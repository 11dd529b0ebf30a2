import { parseTemplateDefinition } from '../../../src/whatsapp/templates';

const template = {
  id: '1234',
  name: 'cart_reminder_1',
  language: 'en',
  status: 'APPROVED',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['x'] } },
    { type: 'BODY', text: 'Hi {{1}}, your cart ({{2}}) is waiting', example: { body_text: [['a', 'b']] } },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Open cart', url: 'https://x/r/{{1}}', example: ['https://x/r/a'] },
        { type: 'QUICK_REPLY', text: 'Stop promotions' },
      ],
    },
  ],
  quality_score: { score: 'GREEN' },
};

describe('parseTemplateDefinition', () => {
  it('keeps what the engine needs and drops extra fields', () => {
    expect(parseTemplateDefinition(template)).toEqual({
      id: '1234',
      name: 'cart_reminder_1',
      language: 'en',
      status: 'APPROVED',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hi {{1}}, your cart ({{2}}) is waiting' },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'URL', text: 'Open cart', url: 'https://x/r/{{1}}' },
            { type: 'QUICK_REPLY', text: 'Stop promotions' },
          ],
        },
      ],
    });
  });

  it('accepts a numeric id and a text header', () => {
    const parsed = parseTemplateDefinition({
      ...template,
      id: 99,
      components: [{ type: 'HEADER', format: 'TEXT', text: 'Your cart' }],
    });
    expect(parsed?.id).toBe('99');
    expect(parsed?.components).toEqual([{ type: 'HEADER', format: 'TEXT', text: 'Your cart' }]);
  });

  it.each<[string, unknown]>([
    ['not an object', 'x'],
    ['no name', { ...template, name: undefined }],
    ['an unknown status', { ...template, status: 'ARCHIVED' }],
    ['an unknown category', { ...template, category: 'SERVICE' }],
    ['components not an array', { ...template, components: {} }],
    ['a video header', { ...template, components: [{ type: 'HEADER', format: 'VIDEO' }] }],
    [
      'a phone button',
      {
        ...template,
        components: [{ type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+1' }] }],
      },
    ],
    [
      'a URL button without url',
      { ...template, components: [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go' }] }] },
    ],
    ['a body without text', { ...template, components: [{ type: 'BODY' }] }],
    ['a junk component', { ...template, components: ['BODY'] }],
    ['an unknown component', { ...template, components: [{ type: 'CAROUSEL', cards: [] }] }],
  ])('leaves out a template with %s', (_label, raw) => {
    expect(parseTemplateDefinition(raw)).toBeUndefined();
  });
});
