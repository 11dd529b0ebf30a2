import type { Line } from '@cartback/shared';
import type { Selectable } from 'kysely';
import type { Trx } from '../db/database';
import type { CartsTable, EnrollmentsTable, OrdersTable } from '../db/schema';
import type { OrderSeen } from '../engine/conversion';
import type { OfferedProduct } from '../engine/render';
import type { SubjectFacts } from '../engine/subject';

/**
 * The SQL edge of engine/subject.ts: the facts of a journey's subject, per subject kind, read
 * inside the step's transaction (after the contact's row is locked, recovery/facts.ts).
 */

/** What a browse or win-back journey offers (the enrollment's `offer`), its prices in `currency`. */
export interface Offer {
  /** ISO 4217; absent in a win-back offer (the store's currency). */
  currency: string | null;
  products: OfferedProduct[];
}

export interface SubjectRead {
  subject: SubjectFacts;
  /** The cart (cart journeys). */
  cart: Selectable<CartsTable> | null;
  /** The order (payment recovery). */
  order: Selectable<OrdersTable> | null;
  /** The offer (browse and win-back). */
  offer: Offer | null;
}

type Enrollment = Selectable<EnrollmentsTable>;

/** A contact's orders placed since `since` (a shopper places a few at most). */
const ORDERS_LIMIT = 100;
/** Carts the contact changed since a view that are looked into for the viewed product. */
const CARTS_LIMIT = 20;

export async function readSubject(trx: Trx, e: Enrollment, contactId: number): Promise<SubjectRead> {
  switch (e.subject_kind) {
    case 'product':
      return readProduct(trx, e, contactId);
    case 'order':
      return readOrder(trx, e, contactId);
    case 'winback':
      return {
        subject: { kind: 'winback', ordersSince: await ordersSince(trx, e, contactId) },
        cart: null,
        order: null,
        offer: parseOffer(e.offer),
      };
    default:
      return readCart(trx, e, contactId);
  }
}

async function readCart(trx: Trx, e: Enrollment, contactId: number): Promise<SubjectRead> {
  const cart = await trx
    .selectFrom('carts')
    .selectAll()
    .where('store_id', '=', e.store_id)
    .where('cart_key', '=', e.subject_id)
    .executeTakeFirst();
  // Every order since the cart began, by the contact or from this cart: paid ones convert,
  // unpaid ones end the cart journey as payment_pending (engine/conversion.ts).
  const orders = await trx
    .selectFrom('orders')
    .select(['status', 'paid_at'])
    .where('store_id', '=', e.store_id)
    .where((eb) => eb.or([eb('contact_id', '=', contactId), eb('cart_key', '=', e.subject_id)]))
    .where('placed_at', '>=', e.episode_at)
    .limit(ORDERS_LIMIT)
    .execute();
  return {
    subject: {
      kind: 'cart',
      cart: cart
        ? {
            sameEpisode: cart.started_at?.getTime() === e.episode_at.getTime(),
            active: cart.status === 'active',
            itemCount: cart.item_count,
          }
        : null,
      orders: orders.map((o) => ({ status: o.status, paid: o.paid_at !== null })),
    },
    cart: cart ?? null,
    order: null,
    offer: null,
  };
}

async function readProduct(trx: Trx, e: Enrollment, contactId: number): Promise<SubjectRead> {
  const productId = Number(e.subject_id.split(':')[1]);
  // Carts of the contact whose content changed after the view: does one hold the product now?
  const carts = await trx
    .selectFrom('carts')
    .select('lines')
    .where('store_id', '=', e.store_id)
    .where('contact_id', '=', contactId)
    .where('content_at', '>', e.episode_at)
    .orderBy('content_at', 'desc')
    .limit(CARTS_LIMIT)
    .execute();
  const productInCart = carts.some((c) => linesOf(c.lines).some((l) => l.product_id === productId));
  return {
    subject: { kind: 'product', ordersSince: await ordersSince(trx, e, contactId), productInCart },
    cart: null,
    order: null,
    offer: parseOffer(e.offer),
  };
}

async function readOrder(trx: Trx, e: Enrollment, contactId: number): Promise<SubjectRead> {
  const orderId = Number(e.subject_id);
  const order = await trx
    .selectFrom('orders')
    .selectAll()
    .where('store_id', '=', e.store_id)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  const productIds = new Set(linesOf(order?.lines ?? null).map((l) => l.product_id));
  // Another order by the contact since this one, paid, with one of its products: bought anyway.
  const others = await trx
    .selectFrom('orders')
    .select(['status', 'paid_at', 'lines'])
    .where('store_id', '=', e.store_id)
    .where('contact_id', '=', contactId)
    .where('order_id', '!=', orderId)
    .where('placed_at', '>=', e.episode_at)
    .limit(ORDERS_LIMIT)
    .execute();
  const paidAnotherWithSameProducts = others.some(
    (o) =>
      isPaid({ status: o.status, paid: o.paid_at !== null }) &&
      linesOf(o.lines).some((l) => productIds.has(l.product_id)),
  );
  return {
    subject: {
      kind: 'order',
      order: order
        ? { status: order.status, paid: order.paid_at !== null, hasPayUrl: (order.pay_url ?? '') !== '' }
        : null,
      paidAnotherWithSameProducts,
    },
    cart: null,
    order: order ?? null,
    offer: null,
  };
}

/** Paid and kept: processing or completed, or an `order.paid` received (not refunded). */
function isPaid(order: OrderSeen): boolean {
  const status = (order.status ?? '').toLowerCase().replace(/^wc-/, '');
  return status !== 'refunded' && (order.paid === true || status === 'processing' || status === 'completed');
}

async function ordersSince(trx: Trx, e: Enrollment, contactId: number): Promise<OrderSeen[]> {
  const orders = await trx
    .selectFrom('orders')
    .select(['status', 'paid_at'])
    .where('store_id', '=', e.store_id)
    .where('contact_id', '=', contactId)
    .where('placed_at', '>=', e.episode_at)
    .limit(ORDERS_LIMIT)
    .execute();
  return orders.map((o) => ({ status: o.status, paid: o.paid_at !== null }));
}

/** A cart row's lines, [] when it has none or they cannot be read. */
export function linesOf(json: string | null): Line[] {
  if (!json) return [];
  try {
    const lines: unknown = JSON.parse(json);
    return Array.isArray(lines) ? (lines as Line[]) : [];
  } catch {
    return [];
  }
}

/**
 * The enrollment's offer, or null when it has none or it cannot be read (its step then has no
 * product to fill, and is skipped as `template_unavailable`).
 */
export function parseOffer(json: string | null): Offer | null {
  if (!json) return null;
  try {
    const offer = JSON.parse(json) as { currency?: unknown; products?: unknown };
    if (!Array.isArray(offer.products)) return null;
    const products: OfferedProduct[] = [];
    for (const p of offer.products as Array<Record<string, unknown>>) {
      if (typeof p.name !== 'string' || typeof p.price !== 'number') continue;
      products.push({
        ...(typeof p.product_id === 'number' ? { product_id: p.product_id } : {}),
        name: p.name,
        price: p.price,
        image_url: typeof p.image_url === 'string' ? p.image_url : null,
      });
    }
    return { currency: typeof offer.currency === 'string' ? offer.currency : null, products };
  } catch {
    return null;
  }
}
