import { randomUUID } from 'node:crypto';
import {
  isE164,
  type ConsentScope,
  type ConsentSource,
  type EventType,
  type Line,
  type StoreEvent,
  type StoreEventOf,
  type Totals,
} from '@cartback/shared';

/**
 * A synthetic but realistic stream of store events: a few thousand shoppers and carts, a small
 * catalogue, orders that move through their states. Event ids are random UUIDs; everything else
 * comes from a seeded generator, so the mix is the same from run to run.
 */

/** The share of each event type, in percent. */
export const EVENT_MIX: ReadonlyArray<readonly [EventType, number]> = [
  ['cart.updated', 38],
  ['cart.emptied', 2],
  ['product.viewed', 24],
  ['browser.linked', 1],
  ['checkout.contact_captured', 10],
  ['consent.granted', 4],
  ['consent.withdrawn', 1],
  ['order.created', 5],
  ['order.paid', 5],
  ['order.status_changed', 3],
  ['order.payment_failed', 1],
  ['order.refunded', 1],
  ['customer.identified', 2.5],
  ['channel.sent', 2.5],
];

const FIRST_NAMES = ['Anna', 'Ravi', 'Priya', 'Arjun', 'Meera', 'Kabir', 'Isha', 'Vikram', 'Sara', 'Dev', 'Nisha'];
const CATEGORIES = ['Kurtas', 'Sarees', 'Cotton', 'Silk', 'Footwear', 'Jewellery', 'Home', 'Sale', 'New in'];
const ITEMS = ['kurta', 'saree', 'dupatta', 'stole', 'juttis', 'bangles', 'cushion cover', 'tote bag', 'shawl'];
const ADJECTIVES = ['Handloom', 'Block-printed', 'Organic', 'Embroidered', 'Hand-woven', 'Indigo', 'Ikat', 'Chanderi'];
const CONSENT_TEXT =
  'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.';
const SHOP = 'https://shop.example';

interface Product {
  id: number;
  sku: string;
  name: string;
  price: number;
  url: string;
  imageUrl: string;
  inStock: boolean;
  categories: string[];
}

interface Shopper {
  phone: string;
  email: string;
  firstName: string;
  customerId: number | undefined;
  /** The known-browser reference once a `browser.linked` introduced this shopper's browser. */
  contactRef?: string;
}

interface Cart {
  key: string;
  sessionId: string;
  shopper: Shopper;
}

interface Order {
  id: number;
  cart: Cart;
  lines: Line[];
  totals: Totals;
  coupons: string[];
  paymentMethod: string;
}

/** mulberry32: small, fast, good enough for picking things. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  seed?: number;
  shoppers?: number;
  carts?: number;
  products?: number;
  /** occurred_at of the first event; later ones follow a few milliseconds apart. */
  start?: Date;
}

export class EventGenerator {
  private readonly random: () => number;
  private readonly products: Product[] = [];
  private readonly shoppers: Shopper[] = [];
  private readonly carts: Cart[] = [];
  private readonly orders: Order[] = [];
  private readonly cumulative: Array<readonly [EventType, number]> = [];
  private nextOrderId = 100_001;
  private clock: number;

  constructor(options: GeneratorOptions = {}) {
    this.random = seeded(options.seed ?? 20261121);
    this.clock = (options.start ?? new Date(Date.now() - 3_600_000)).getTime();
    let sum = 0;
    for (const [type, weight] of EVENT_MIX) this.cumulative.push([type, (sum += weight)]);
    for (let i = 1; i <= (options.products ?? 240); i++) this.products.push(this.product(i));
    for (let i = 0; i < (options.shoppers ?? 2_500); i++) this.shoppers.push(this.shopper(i));
    for (let i = 0; i < (options.carts ?? 3_000); i++) {
      this.carts.push({ key: this.hex(32), sessionId: this.hex(32), shopper: this.pick(this.shoppers) });
    }
  }

  /** The next event, its type drawn from EVENT_MIX. */
  next(): StoreEvent {
    const roll = this.random() * 100;
    const type = this.cumulative.find(([, upTo]) => roll < upTo)?.[0] ?? 'cart.updated';
    return this.event(type);
  }

  /** One event of the given type. */
  event(type: EventType): StoreEvent {
    this.clock += this.int(0, 40);
    const occurredAt = new Date(this.clock).toISOString();
    const cart = this.pick(this.carts);
    const shopper = cart.shopper;
    const base = { id: randomUUID(), occurred_at: occurredAt };
    switch (type) {
      case 'cart.updated': {
        const lines = this.lines();
        const event: StoreEventOf<'cart.updated'> = {
          ...base,
          type,
          data: {
            cart_key: cart.key,
            ...(shopper.customerId ? { customer_id: shopper.customerId } : {}),
            session_id: cart.sessionId,
            currency: 'INR',
            totals: this.totals(lines, false),
            lines,
            locale: 'en_IN',
          },
        };
        return event;
      }
      case 'cart.emptied':
        return { ...base, type, data: { cart_key: cart.key } };
      case 'product.viewed': {
        const p = this.pick(this.products);
        return {
          ...base,
          type,
          data: {
            session_id: cart.sessionId,
            ...(shopper.customerId ? { customer_id: shopper.customerId } : {}),
            // A browser the store met before carries its reference (the known-browser cookie).
            ...(shopper.contactRef ? { contact_ref: shopper.contactRef } : {}),
            product: {
              id: p.id,
              name: p.name,
              price: p.price,
              currency: 'INR',
              image_url: p.imageUrl,
              url: p.url,
              in_stock: p.inStock,
              categories: p.categories,
            },
          },
        };
      }
      case 'checkout.contact_captured':
        return {
          ...base,
          type,
          data: {
            cart_key: cart.key,
            phone: shopper.phone,
            email: shopper.email,
            first_name: shopper.firstName,
            country: 'IN',
          },
        };
      case 'consent.granted':
      case 'consent.withdrawn': {
        const scope: ConsentScope = this.random() < 0.8 ? 'marketing' : 'utility';
        const source: ConsentSource = type === 'consent.granted' ? 'checkout_block' : 'my_account';
        return {
          ...base,
          type,
          data: { phone: shopper.phone, email: shopper.email, scope, source, text: CONSENT_TEXT, text_version: 1 },
        };
      }
      case 'browser.linked': {
        // Rare: an opt-in ticked or a Cartback link opened. One reference per shopper, kept.
        shopper.contactRef ??= this.hex(32);
        return {
          ...base,
          type,
          data: { contact_ref: shopper.contactRef, phone: shopper.phone, email: shopper.email, via: 'consent' },
        };
      }
      case 'customer.identified':
        return {
          ...base,
          type,
          data: {
            session_id: cart.sessionId,
            customer_id: shopper.customerId ?? this.int(1, 50_000),
            phone: shopper.phone,
            email: shopper.email,
          },
        };
      case 'channel.sent':
        return {
          ...base,
          type,
          data: { channel: 'email', email: shopper.email, subject: { kind: 'cart', id: cart.key } },
        };
      case 'order.created':
      case 'order.paid':
      case 'order.status_changed':
      case 'order.payment_failed':
      case 'order.refunded':
        return this.orderEvent(type, base);
      case 'store.updated':
        return {
          ...base,
          type,
          data: {
            name: 'Bench Handlooms',
            url: 'https://shop.example',
            api_url: 'https://shop.example/wp-json/cartback/v1',
            time_zone: 'Asia/Kolkata',
            currency: 'INR',
            locale: 'en_IN',
            versions: { wordpress: '6.9.1', woocommerce: '10.5.0', plugin: '0.1.0' },
          },
        };
    }
  }

  private orderEvent(
    type: Extract<EventType, `order.${string}`>,
    base: { id: string; occurred_at: string },
  ): StoreEvent {
    const existing = this.orders.length > 0 && type !== 'order.created' ? this.pick(this.orders) : undefined;
    const order = existing ?? this.newOrder();
    const status = {
      'order.created': 'pending',
      'order.paid': 'processing',
      'order.status_changed': this.random() < 0.7 ? 'completed' : 'on-hold',
      'order.payment_failed': 'failed',
      'order.refunded': 'refunded',
    }[type];
    const { shopper } = order.cart;
    return {
      ...base,
      type,
      data: {
        order_id: order.id,
        cart_key: order.cart.key,
        ...(shopper.customerId ? { customer_id: shopper.customerId } : {}),
        phone: shopper.phone,
        email: shopper.email,
        status,
        currency: 'INR',
        totals: order.totals,
        lines: order.lines,
        coupons: order.coupons,
        payment_method: order.paymentMethod,
        // The plugin sends the order's pay link while WooCommerce takes payment in its status.
        ...(status === 'pending' || status === 'failed'
          ? { pay_url: `${SHOP}/checkout/order-pay/${order.id}/?pay_for_order=true&key=wc_order_${order.id}` }
          : {}),
      },
    };
  }

  private newOrder(): Order {
    const lines = this.lines();
    const coupons = this.random() < 0.2 ? ['DIWALI10'] : [];
    const order: Order = {
      id: this.nextOrderId++,
      cart: this.pick(this.carts),
      lines,
      totals: this.totals(lines, coupons.length > 0),
      coupons,
      paymentMethod: this.random() < 0.7 ? 'razorpay' : 'cod',
    };
    this.orders.push(order);
    if (this.orders.length > 2_000) this.orders.shift();
    return order;
  }

  private lines(): Line[] {
    const count = this.int(1, 4);
    const lines: Line[] = [];
    for (let i = 0; i < count; i++) {
      const p = this.pick(this.products);
      const quantity = this.random() < 0.8 ? 1 : this.int(2, 3);
      lines.push({
        product_id: p.id,
        sku: p.sku,
        name: p.name,
        quantity,
        unit_price: p.price,
        line_total: p.price * quantity,
        image_url: p.imageUrl,
        url: p.url,
        categories: p.categories.map((name) => ({ id: CATEGORIES.indexOf(name) + 1, name })),
      });
    }
    return lines;
  }

  /** Integer minor units: 18% tax, flat shipping under ₹999, 10% off with a coupon. */
  private totals(lines: readonly Line[], coupon: boolean): Totals {
    const subtotal = lines.reduce((sum, line) => sum + line.line_total, 0);
    const discount = coupon ? Math.round(subtotal / 10) : 0;
    const tax = Math.round((subtotal - discount) * 0.18);
    const shipping = subtotal < 99_900 ? 4_900 : 0;
    return { subtotal, tax, shipping, discount, total: subtotal - discount + tax + shipping };
  }

  private product(id: number): Product {
    const item = this.pick(ITEMS);
    const name = `${this.pick(ADJECTIVES)} ${item}`;
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}`;
    return {
      id,
      sku: `SKU-${String(id).padStart(5, '0')}`,
      name,
      price: this.int(199, 4_999) * 100,
      url: `${SHOP}/product/${slug}/`,
      imageUrl: `${SHOP}/wp-content/uploads/${slug}.jpg`,
      inStock: this.random() < 0.9,
      categories: [this.pick(CATEGORIES), this.pick(CATEGORIES)],
    };
  }

  private shopper(n: number): Shopper {
    const phone = `+9198${String(this.int(0, 99_999_999)).padStart(8, '0')}`;
    if (!isE164(phone)) throw new Error(`generated an invalid phone number: ${phone}`);
    const firstName = this.pick(FIRST_NAMES);
    return {
      phone,
      email: `${firstName.toLowerCase()}.${n}@example.com`,
      firstName,
      customerId: this.random() < 0.4 ? n + 1 : undefined,
    };
  }

  private hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const word = Math.floor(this.random() * 0x100000000);
      out += word.toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('picked from an empty list');
    return item;
  }
}
