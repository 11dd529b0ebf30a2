/**
 * The reason codes the send-time policies record (DESIGN.md, "Policies, checked at send time"),
 * and six more: `store_unreachable` (the pre-send re-check with the store could not be made:
 * the step waits), `no_image` (the step's template needs an image and none can be had),
 * `template_rejected` (WhatsApp refused a send for its template or parameters: the journey stops),
 * `reconcile_timeout` (a send whose answer was lost got no status within the reconcile
 * window: the message is `lost`, never resent), `superseded` (a journey of a higher lane started
 * for the contact: this one stops, engine/arbitration.ts) and `payment_pending` (the contact
 * placed an order that is not paid — pending, failed, on hold: the cart journey ends, and it is
 * no conversion; engine/conversion.ts).
 * Issue 10's lanes add five subject stops (engine/subject.ts): `product_in_cart` (browse: the viewed
 * product was put in one of the contact's carts, so the cart lane takes over), and, for payment
 * recovery's own order, `order_cancelled`, `order_refunded`, `order_on_hold` (awaiting a manual
 * confirmation, as for a bank transfer: a reminder to pay would be wrong) and `order_disputed` (a
 * gateway's dispute status).
 * `handoff_active` (DESIGN.md) is recorded since issue 10 too: the shopper asked for a person (the
 * help button or a typed request, webhooks/handoff.ts), so their journeys stop, and no step or new
 * journey goes to them while the handoff is open.
 * Issue 11's live check (engine/catalog.ts) adds two stops: `all_out_of_stock` (every item of the
 * cart or offer the store still has cannot be bought now) and `products_gone` (every product a
 * browse or win-back offer named was deleted or unpublished; a cart's is `cart_empty`).
 * Issue 11's coupons (engine/incentive.ts) add two reasons a step goes without its incentive (its
 * `template_without_incentive`; recorded on the queued message and the history's send entry):
 * `incentive_budget_exhausted` (the store's monthly incentive budget cannot cover the coupon) and
 * `incentive_unavailable` (no coupon could be made: no REST access, or the store failed every try).
 * Issue 12's monitors (monitors/decide.ts) add two skips: `sending_paused_by_monitor` (the
 * number's quality fell: all sending waits for an admin's Resume) and `lane_paused_by_monitor`
 * (the lane's opt-outs, reads, failures or a template tripped a monitor).
 * They are part of the API: they are stored on enrollments and messages, shown in timelines and
 * exported, so a code is never renamed or reused for another meaning.
 */
export const REASON_CODES = [
  'no_consent',
  'opted_out',
  'invalid_phone',
  'lane_paused',
  'all_paused',
  'converted',
  'cart_empty',
  'out_of_stock',
  'frequency_cap_lane',
  'frequency_cap_contact',
  'cross_channel_recent',
  'handoff_active',
  'template_unavailable',
  'provider_marketing_limit',
  'held_out',
  'quiet_hours',
  'store_unreachable',
  'no_image',
  'template_rejected',
  'reconcile_timeout',
  'superseded',
  'payment_pending',
  'product_in_cart',
  'order_cancelled',
  'order_refunded',
  'order_on_hold',
  'order_disputed',
  'all_out_of_stock',
  'products_gone',
  'incentive_budget_exhausted',
  'incentive_unavailable',
  'sending_paused_by_monitor',
  'lane_paused_by_monitor',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(REASON_CODES);

/** True when `value` is one of the reason codes (e.g. for a value read back from storage). */
export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && KNOWN.has(value);
}
