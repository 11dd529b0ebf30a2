import { eraseReport, NOTHING_FOUND, type ErasureCounts } from '../../src/privacy/erase-report';
import { exportItems, formatMoney, linesSummary, type ExportRows } from '../../src/privacy/export-items';
import { validatePrivacyRequest } from '../../src/privacy/request';

const at = (iso: string) => new Date(iso);
const TEXT = 'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
const LINES = JSON.stringify([
  { product_id: 42, name: 'Handloom cotton kurta', quantity: 1, unit_price: 129900, line_total: 129900, url: 'u' },
  { product_id: 43, name: 'Blue mug', quantity: 2, unit_price: 25000, line_total: 50000, url: 'u' },
]);

function rows(change: Partial<ExportRows> = {}): ExportRows {
  return {
    storeLocale: null,
    contacts: [],
    consents: [],
    carts: [],
    orders: [],
    messages: [],
    productViews: [],
    nudges: [],
    handoffs: [],
    ...change,
  };
}

describe('privacy request', () => {
  it('accepts an email, a phone or both, lower-casing the email', () => {
    expect(validatePrivacyRequest({ email: 'Anna@Example.com' })).toEqual({
      ok: true,
      value: { email: 'anna@example.com' },
    });
    expect(validatePrivacyRequest({ phone: '+919812345678' })).toEqual({ ok: true, value: { phone: '+919812345678' } });
    expect(validatePrivacyRequest({ email: 'a@b.co', phone: '+919812345678' })).toMatchObject({ ok: true });
  });

  it.each([
    ['no email and no phone', {}, '', /^body must name the person/],
    ['a malformed email', { email: 'anna' }, 'email', /^email must be a valid email/],
    ['an empty email', { email: '' }, 'email', /^email is not allowed to be empty/],
    ['a phone not in E.164', { phone: '09812345678' }, 'phone', /^phone must be a valid phone number in E\.164/],
    ['a phone given as a number', { phone: 919812345678 }, 'phone', /^phone must be a string/],
    ['an unknown field', { email: 'a@b.co', name: 'Anna' }, 'name', /^name is not allowed/],
    ['an array', [{ email: 'a@b.co' }], '', /^body must be of type object/],
    ['null', null, '', /^body must be of type object/],
  ])('refuses %s, naming the field', (_name, body, path, message) => {
    const result = validatePrivacyRequest(body);
    expect(result).toEqual({ ok: false, path, message: expect.stringMatching(message) });
  });
});

describe('money and lines', () => {
  it('formats integer minor units with Intl for the currency and locale', () => {
    expect(formatMoney(129900, 'INR', 'en_IN')).toBe('₹1,299.00');
    expect(formatMoney(5, 'USD', 'en')).toBe('$0.05');
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
    expect(formatMoney(1234, 'KWD', 'en')).toBe('KWD\u00a01.234');
    expect(formatMoney(129900, 'EUR', 'de-DE')).toBe('1.299,00\u00a0€');
  });

  it('keeps an amount it cannot format as the plain number', () => {
    expect(formatMoney(null, 'INR', 'en')).toBeNull();
    expect(formatMoney(100, null, 'en')).toBe('100');
    expect(formatMoney(100, 'XYZ1', 'en')).toBe('100 XYZ1');
  });

  it('summarises lines as name × quantity', () => {
    expect(linesSummary(LINES)).toBe('Handloom cotton kurta × 1; Blue mug × 2');
    expect(linesSummary('[]')).toBeNull();
    expect(linesSummary(null)).toBeNull();
    expect(linesSummary('not json')).toBeNull();
  });
});

describe('export items', () => {
  it('is empty when nobody matched', () => {
    expect(exportItems(rows())).toEqual([]);
  });

  it('lists the contact, each consent with its exact text, cart, order, message, view and nudge', () => {
    const items = exportItems(
      rows({
        contacts: [
          {
            id: 12,
            phone: '+919812345678',
            email: 'anna@example.com',
            first_name: 'Anna',
            customer_id: 7,
            country: 'IN',
            locale: 'en_IN',
            time_zone: null,
            created_at: at('2026-11-21T10:15:00.000Z'),
            updated_at: at('2026-11-21T10:16:00.250Z'),
          },
        ],
        consents: [
          {
            id: 3,
            phone: '+919812345678',
            email: null,
            scope: 'marketing',
            action: 'granted',
            source: 'checkout_block',
            text: TEXT,
            text_version: 2,
            occurred_at: at('2026-11-21T10:15:00Z'),
          },
        ],
        carts: [
          {
            cart_key: 'c7d1',
            status: 'active',
            email: 'anna@example.com',
            currency: 'INR',
            locale: null,
            total: 179900,
            lines: LINES,
            checkout_details: JSON.stringify({
              contact: {
                at: '2026-11-21T10:14:00.000Z',
                event_id: 'e1',
                value: { phone: '+919812345678', first_name: 'Anna', last_name: 'Sharma' },
              },
              billing: {
                at: '2026-11-21T10:14:00.000Z',
                event_id: 'e1',
                value: {
                  first_name: 'Anna',
                  last_name: 'Sharma',
                  company: 'Kurta Co',
                  address_1: '12 MG Road',
                  city: 'Bengaluru',
                  postcode: '560001',
                  country: 'IN',
                },
              },
            }),
            started_at: at('2026-11-21T10:00:00Z'),
            content_at: at('2026-11-21T10:15:00Z'),
          },
        ],
        orders: [
          {
            order_id: 1001,
            status: 'processing',
            phone: '+919812345678',
            email: null,
            currency: 'INR',
            total: 129900,
            lines: LINES,
            coupons: '["SAVE10"]',
            payment_method: 'razorpay',
            placed_at: at('2026-10-01T09:00:00Z'),
            paid_at: null,
          },
        ],
        messages: [
          {
            id: 40,
            lane: 'abandoned_cart',
            step: 0,
            state: 'delivered',
            phone: '+919812345678',
            template: 'cart_reminder_1',
            submitted_at: at('2026-11-21T10:31:00Z'),
            sent_at: at('2026-11-21T10:31:02Z'),
            delivered_at: null,
            read_at: null,
          },
        ],
        productViews: [
          {
            id: 5,
            name: 'Blue mug',
            price: 25000,
            currency: 'INR',
            url: 'https://s/p',
            viewed_at: at('2026-11-20T08:00:00Z'),
          },
        ],
        nudges: [{ id: 9, channel: 'email', subject_kind: 'cart', sent_at: at('2026-11-21T11:00:00Z') }],
      }),
    );
    expect(items.map((i) => [i.group_id, i.item_id])).toEqual([
      ['cartback-contact', 'contact-12'],
      ['cartback-consent', 'consent-3'],
      ['cartback-carts', 'cart-c7d1'],
      ['cartback-orders', 'order-1001'],
      ['cartback-messages', 'message-40'],
      ['cartback-product-views', 'product-view-5'],
      ['cartback-other-channels', 'nudge-9'],
    ]);
    for (const item of items) expect(item.group_label).toMatch(/^Cartback: /);
    const [contact, consent, cart, order, message, view, nudge] = items.map((i) =>
      Object.fromEntries(i.data.map((d) => [d.name, d.value])),
    );
    expect(contact).toEqual({
      Phone: '+919812345678',
      Email: 'anna@example.com',
      'First name': 'Anna',
      'Store customer ID': '7',
      Country: 'IN',
      Language: 'en_IN',
      'First seen': '2026-11-21T10:15:00Z',
      'Last updated': '2026-11-21T10:16:00Z',
    });
    expect(consent).toEqual({
      Scope: 'Marketing (offers and reminders)',
      Decision: 'Granted',
      Source: 'Checkout',
      Text: TEXT,
      'Text version': '2',
      When: '2026-11-21T10:15:00Z',
      Phone: '+919812345678',
    });
    expect(cart).toMatchObject({
      Status: 'Active',
      Products: 'Handloom cotton kurta × 1; Blue mug × 2',
      Total: '₹1,799.00',
      'Name typed at checkout': 'Anna Sharma',
      'Phone typed at checkout': '+919812345678',
      'Billing address typed at checkout': 'Anna Sharma, Kurta Co, 12 MG Road, Bengaluru, 560001, IN',
      'Last change': '2026-11-21T10:15:00Z',
    });
    expect(cart).not.toHaveProperty('Shipping address typed at checkout');
    expect(order).toMatchObject({
      Order: '#1001',
      Total: '₹1,299.00',
      Coupons: 'SAVE10',
      Placed: '2026-10-01T09:00:00Z',
    });
    expect(order).not.toHaveProperty('Paid');
    expect(message).toEqual({
      Lane: 'Abandoned cart',
      Step: '1',
      Status: 'Delivered',
      Template: 'cart_reminder_1',
      Phone: '+919812345678',
      'Sent at': '2026-11-21T10:31:02Z',
    });
    expect(view).toMatchObject({ Product: 'Blue mug', Price: '₹250.00' });
    expect(nudge).toEqual({ Channel: 'Email', About: 'cart', 'Sent at': '2026-11-21T11:00:00Z' });
  });

  it("formats money in the store's locale when no row has one", () => {
    const [item] = exportItems(
      rows({
        storeLocale: 'de_DE',
        orders: [
          {
            order_id: 1,
            status: null,
            phone: null,
            email: null,
            currency: 'EUR',
            total: 1999,
            lines: null,
            coupons: null,
            payment_method: null,
            placed_at: null,
            paid_at: null,
          },
        ],
      }),
    );
    expect(item?.data).toEqual([
      { name: 'Order', value: '#1' },
      { name: 'Total', value: '19,99\u00a0€' },
    ]);
  });
});

describe('erase report', () => {
  const none: ErasureCounts = {
    contacts: 0,
    consents: 0,
    carts: 0,
    productViews: 0,
    nudges: 0,
    links: 0,
    events: 0,
    orders: 0,
    messages: 0,
    journeysStopped: 0,
    messagesCancelled: 0,
  };

  it('says so when there was nothing to erase', () => {
    expect(eraseReport(none)).toEqual({ items_removed: false, items_retained: false, messages: [NOTHING_FOUND] });
  });

  it('counts what went, what stopped, and what was kept without personal data', () => {
    const reply = eraseReport({
      ...none,
      contacts: 1,
      consents: 2,
      carts: 1,
      events: 5,
      orders: 3,
      messages: 1,
      journeysStopped: 1,
      messagesCancelled: 1,
    });
    expect(reply).toEqual({
      items_removed: true,
      items_retained: false,
      messages: [
        'Cartback erased 1 contact, 2 consent records, 1 cart and 5 logged store events.',
        'Cartback stopped 1 WhatsApp journey and cancelled 1 queued message; nothing more will be sent without fresh consent.',
        'Cartback kept 3 orders without personal data for revenue reporting.',
        'Cartback kept 1 WhatsApp message record without the phone number or content for delivery reporting.',
      ],
    });
  });

  it('reports an order stripped of personal data as removed, with nothing retained', () => {
    expect(eraseReport({ ...none, orders: 1 })).toEqual({
      items_removed: true,
      items_retained: false,
      messages: ['Cartback kept 1 order without personal data for revenue reporting.'],
    });
  });
});
