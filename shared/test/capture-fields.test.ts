import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_LINE_CATEGORIES } from '../src/types';
import { validateEvent, validateEventBatch } from '../src/schemas';

/** The fields the other three lanes need from the plugin: pay link, line categories, known browser. */

const dir = join(__dirname, '../fixtures/events/valid');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are edited freely below
const fixture = (type: string): any => JSON.parse(readFileSync(join(dir, `${type}.json`), 'utf8'));

function rejects(event: unknown, path: string): void {
  const result = validateEventBatch({ events: [event] });
  expect(result).toMatchObject({ ok: false, path });
  if (!result.ok) expect(result.message).toContain(path);
}

describe('pay_url in order events', () => {
  it('accepts an order with its pay link, and one without (older plugins, paid orders)', () => {
    const failed = fixture('order.payment_failed');
    expect(failed.data.pay_url).toMatch(/^https:\/\/.*order-pay/);
    expect(validateEvent(failed)).toMatchObject({ ok: true });
    delete failed.data.pay_url;
    expect(validateEvent(failed)).toMatchObject({ ok: true });
    const created = fixture('order.created');
    created.data.pay_url = 'http://localhost:8080/?page_id=7&order-pay=1001&pay_for_order=true&key=wc_order_x';
    expect(validateEvent(created)).toMatchObject({ ok: true });
  });

  it.each([
    ['not a URL', 'pay here'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a URL over 2048 characters', `https://shop.example/checkout/order-pay/1/?key=${'k'.repeat(2048)}`],
    ['not a string', 42],
  ])('rejects a pay_url that is %s, naming the field', (_name, value) => {
    const event = fixture('order.created');
    event.data.pay_url = value;
    rejects(event, 'events[0].data.pay_url');
  });
});

describe('categories in cart and order lines', () => {
  it('accepts lines with categories, with none, and without the field', () => {
    for (const type of ['cart.updated', 'order.paid']) {
      const event = fixture(type);
      expect(event.data.lines[0].categories).toEqual([
        { id: 15, name: 'Kurtas' },
        { id: 16, name: 'Cotton' },
      ]);
      expect(validateEvent(event)).toMatchObject({ ok: true });
      event.data.lines[0].categories = [];
      expect(validateEvent(event)).toMatchObject({ ok: true });
      delete event.data.lines[0].categories;
      expect(validateEvent(event)).toMatchObject({ ok: true });
    }
  });

  it(`accepts ${MAX_LINE_CATEGORIES} categories of 200 characters and rejects one more of either`, () => {
    const event = fixture('cart.updated');
    const many = Array.from({ length: MAX_LINE_CATEGORIES }, (_, i) => ({ id: i + 1, name: 'x'.repeat(200) }));
    event.data.lines[0].categories = many;
    expect(validateEvent(event)).toMatchObject({ ok: true });
    event.data.lines[0].categories = [...many, { id: 99, name: 'Extra' }];
    rejects(event, 'events[0].data.lines[0].categories');
    event.data.lines[0].categories = [{ id: 1, name: 'x'.repeat(201) }];
    rejects(event, 'events[0].data.lines[0].categories[0].name');
  });

  it.each([
    ['a category without an id', { name: 'Kurtas' }, 'events[0].data.lines[0].categories[0].id'],
    ['a category id of 0', { id: 0, name: 'Kurtas' }, 'events[0].data.lines[0].categories[0].id'],
    ['a category id as a string', { id: '15', name: 'Kurtas' }, 'events[0].data.lines[0].categories[0].id'],
    ['an empty category name', { id: 15, name: '' }, 'events[0].data.lines[0].categories[0].name'],
  ])('rejects %s in an order line, naming the field', (_name, category, path) => {
    const event = fixture('order.created');
    event.data.lines[0].categories = [category];
    rejects(event, path);
  });

  it('rejects categories given as plain names in a line', () => {
    const event = fixture('cart.updated');
    event.data.lines[0].categories = ['Kurtas'];
    rejects(event, 'events[0].data.lines[0].categories[0]');
  });
});

describe('the known browser', () => {
  it('accepts a product view with a contact reference, and one without', () => {
    const viewed = fixture('product.viewed');
    expect(viewed.data.contact_ref).toMatch(/^[0-9a-f]{32}$/);
    expect(validateEvent(viewed)).toMatchObject({ ok: true });
    delete viewed.data.contact_ref;
    expect(validateEvent(viewed)).toMatchObject({ ok: true });
  });

  it.each([
    ['too short', 'abc123'],
    ['a phone number', '+919812345678'],
    ['over 64 characters', 'a'.repeat(65)],
  ])('rejects a contact_ref that is %s, naming the field', (_name, value) => {
    const viewed = fixture('product.viewed');
    viewed.data.contact_ref = value;
    rejects(viewed, 'events[0].data.contact_ref');
  });

  it('accepts browser.linked by consent and by restore link', () => {
    const linked = fixture('browser.linked');
    expect(validateEvent(linked)).toMatchObject({ ok: true });
    expect(validateEvent({ ...linked, data: { ...linked.data, via: 'restore', email: undefined } })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['without a contact_ref', { contact_ref: undefined }, 'events[0].data.contact_ref'],
    ['without a phone', { phone: undefined }, 'events[0].data.phone'],
    ['with a phone not in E.164', { phone: '09812345678' }, 'events[0].data.phone'],
    ['with an unknown via', { via: 'pixel' }, 'events[0].data.via'],
  ])('rejects browser.linked %s, naming the field', (_name, change, path) => {
    const linked = fixture('browser.linked');
    const data = JSON.parse(JSON.stringify({ ...linked.data, ...change }));
    rejects({ ...linked, data }, path);
  });
});
