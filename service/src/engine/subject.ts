import type { CatalogStop } from './catalog';
import { bareStatus, orderOutcome, type OrderOutcome, type OrderSeen } from './conversion';
import type { StoreCheck } from './decision';

/**
 * What a journey's subject says about its next step, per subject kind (issue 10): the plain facts
 * the stepper reads (recovery/facts*.ts) in, the `subject` part of the send decision out. Pure.
 *
 * - `cart` (abandoned_cart): converted by a paid order since the cart began; payment_pending by an
 *   unpaid one; cart_empty when the cart is emptied, gone or began again (another episode).
 * - `product` (browse_abandonment): converted by a paid order since the view; `product_in_cart`
 *   when the product was put in one of the contact's carts since (the cart lane takes over).
 *   Never cart_empty, never payment_pending (an unpaid order is the payment lane's business).
 * - `order` (payment_recovery): its own order is pending by definition, so payment_pending never
 *   applies. Paid (processing/completed, or an `order.paid` received) → converted; cancelled →
 *   `order_cancelled`; refunded → `order_refunded`; on-hold → `order_on_hold`; a `disputed`
 *   status → `order_disputed`; another order paid since with one of the same products →
 *   converted (the shopper paid it again another way). Without the order row or its pay link
 *   there is nothing to send: `renderable` is false (the step is skipped, `template_unavailable`).
 * - `winback`: converted by a paid order since the journey began.
 */

export type SubjectStop =
  'product_in_cart' | 'order_cancelled' | 'order_refunded' | 'order_on_hold' | 'order_disputed' | CatalogStop;

export type SubjectFacts =
  | {
      kind: 'cart';
      /** The cart row, as far as the journey cares; null when it is gone. */
      cart: { sameEpisode: boolean; active: boolean; itemCount: number } | null;
      /** The contact's (and the cart's) orders since the cart began. */
      orders: readonly OrderSeen[];
    }
  | { kind: 'product'; ordersSince: readonly OrderSeen[]; productInCart: boolean }
  | {
      kind: 'order';
      /** The order row; null when it is gone. */
      order: { status: string | null; paid: boolean; hasPayUrl: boolean } | null;
      /** The contact paid another order since this one was placed, with one of its products. */
      paidAnotherWithSameProducts: boolean;
    }
  | { kind: 'winback'; ordersSince: readonly OrderSeen[] };

export interface SubjectVerdict {
  converted: boolean;
  paymentPending: boolean;
  cartEmpty: boolean;
  stop: SubjectStop | null;
  /** False when the step has nothing to fill its template with (payment recovery without its order or pay link). */
  renderable: boolean;
  /** Why `converted`, when the journey's history should say more than the reason code. */
  detail: string | null;
}

const NOTHING: SubjectVerdict = {
  converted: false,
  paymentPending: false,
  cartEmpty: false,
  stop: null,
  renderable: true,
  detail: null,
};

/** The order statuses that stop payment recovery, each with its own reason. */
const ORDER_STOPS: Readonly<Record<string, SubjectStop>> = {
  cancelled: 'order_cancelled',
  trash: 'order_cancelled',
  refunded: 'order_refunded',
  'on-hold': 'order_on_hold',
  disputed: 'order_disputed',
};

export function subjectVerdict(facts: SubjectFacts): SubjectVerdict {
  switch (facts.kind) {
    case 'cart': {
      const outcome: OrderOutcome = orderOutcome(facts.orders);
      const cart = facts.cart;
      return {
        ...NOTHING,
        converted: outcome === 'converted',
        paymentPending: outcome === 'payment_pending',
        cartEmpty: !cart || !cart.sameEpisode || !cart.active || cart.itemCount === 0,
      };
    }
    case 'product':
      return {
        ...NOTHING,
        converted: orderOutcome(facts.ordersSince) === 'converted',
        stop: facts.productInCart ? 'product_in_cart' : null,
      };
    case 'winback':
      return { ...NOTHING, converted: orderOutcome(facts.ordersSince) === 'converted' };
    case 'order': {
      const order = facts.order;
      const status = bareStatus(order?.status ?? null);
      // Refunded is checked before paid: the order was paid, but its journey ends as refunded.
      if (status === 'refunded') return { ...NOTHING, stop: 'order_refunded' };
      const paid = order !== null && (order.paid || status === 'processing' || status === 'completed');
      if (paid) return { ...NOTHING, converted: true };
      const stop = status === null ? null : (ORDER_STOPS[status] ?? null);
      if (stop) return { ...NOTHING, stop };
      if (facts.paidAnotherWithSameProducts) {
        return { ...NOTHING, converted: true, detail: 'the contact paid another order with the same products' };
      }
      return { ...NOTHING, renderable: order !== null && order.hasPayUrl };
    }
  }
}

/**
 * The store's answer to the pre-send re-check as the decision reads it: for payment recovery an
 * unpaid order is the expected state (its own), so `payment_pending` means "nothing new" there.
 */
export function storeCheckFor(kind: SubjectFacts['kind'], check: StoreCheck): StoreCheck {
  return kind === 'order' && check === 'payment_pending' ? 'no_order' : check;
}

/** Whether the pre-send re-check with the store is made for this kind (carts and orders). */
export function asksStore(kind: string): boolean {
  return kind === 'cart' || kind === 'order';
}
