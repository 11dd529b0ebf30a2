/**
 * Converted means paid (DESIGN.md, "Lanes"). What the contact's orders since a journey's subject
 * began mean for the journey, from the orders the sidecar holds or the store's answer to the
 * pre-send re-check. Pure.
 *
 * - `converted`: an order that is, or was, paid — WooCommerce status `processing` or `completed`,
 *   or `refunded` (it was paid, then refunded: a reminder after a purchase is the worst thing we
 *   can send), or, for an order the sidecar holds, an `order.paid` event received for it.
 * - `payment_pending`: no paid order, but one placed and not paid — `pending`, `failed`,
 *   `on-hold` (awaiting the payment's confirmation, as for a bank transfer), or a status this
 *   list does not know (a plugin's own: the shopper did place an order, so the cart journey must
 *   end, but nothing says it was paid). It ends the cart journey and is never a conversion; the
 *   payment_recovery lane takes such a shopper over.
 * - `none`: no order, or only ones that never were one — `cancelled`, `trash`, `draft` and
 *   `checkout-draft` (the block checkout's draft, made before the shopper places anything).
 *
 * Statuses are compared without WooCommerce's `wc-` prefix and case.
 */

export type OrderOutcome = 'converted' | 'payment_pending' | 'none';

export const PAID_STATUSES: readonly string[] = ['processing', 'completed', 'refunded'];
export const NOT_AN_ORDER_STATUSES: readonly string[] = ['cancelled', 'trash', 'draft', 'checkout-draft'];

export interface OrderSeen {
  status: string | null;
  /** An `order.paid` event was received for it (only the sidecar's own orders know this). */
  paid?: boolean;
}

/** The bare status: `wc-processing` → `processing`; null when none was reported. */
export function bareStatus(status: string | null): string | null {
  if (status === null) return null;
  const lower = status.trim().toLowerCase();
  return lower.startsWith('wc-') ? lower.slice(3) : lower;
}

/** What one order means: paid, placed but not paid, or not an order at all. */
export function orderOutcomeOf(order: OrderSeen): OrderOutcome {
  const status = bareStatus(order.status);
  if (order.paid === true || (status !== null && PAID_STATUSES.includes(status))) return 'converted';
  if (status !== null && NOT_AN_ORDER_STATUSES.includes(status)) return 'none';
  return 'payment_pending';
}

/** What the orders mean together: converted when any was paid, else payment_pending when any is pending. */
export function orderOutcome(orders: readonly OrderSeen[]): OrderOutcome {
  const outcomes = orders.map(orderOutcomeOf);
  if (outcomes.includes('converted')) return 'converted';
  return outcomes.includes('payment_pending') ? 'payment_pending' : 'none';
}
