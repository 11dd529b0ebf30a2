import { bareStatus, orderOutcomeOf } from './conversion';

/**
 * Attribution (DESIGN.md, "Links, coupons and attribution"): which message, if any, earned an
 * order. One pure function of one order's facts and its contact's messages; the pass
 * (attribution/pass.ts) gathers them, decides, and stores the answer per order. Since it reads
 * only facts, never the order in which they arrived, the same facts always give the same answer.
 */

/** A click counts for an order placed at most this long after it. */
export const RECOVERED_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** A delivered (or read) message without a click counts for an order placed at most this long after it. */
export const INFLUENCED_WINDOW_MS = 3 * 24 * 3600 * 1000;

export interface AttributionOrder {
  contactId: number | null;
  /** WooCommerce's status, as last reported (with or without `wc-`). */
  status: string | null;
  /** When the shopper placed it: the earliest fact the sidecar holds about it. */
  placedAt: Date | null;
  /** When an `order.paid` was first reported for it, or null. */
  paidAt: Date | null;
  /** When an `order.refunded` (full or partial) was first reported for it, or null. */
  refundedAt: Date | null;
  /**
   * The largest refunded total its events reported, minor units (`totals.refunded`; an
   * `order.refunded` without the field reported its whole total). Null: no event said — with
   * `refundedAt` set, an order stored before amounts were kept: counted as fully refunded.
   */
  refundedAmount: number | null;
  /** What the shopper paid, minor units. */
  total: number | null;
  currency: string | null;
}

export interface AttributionMessage {
  id: number;
  contactId: number;
  lane: string;
  step: number;
  enrollmentId: number;
  /** `held_out` and `skipped` messages were never sent: they never attribute. */
  state: string;
  deliveredAt: Date | null;
  readAt: Date | null;
  /** The first open of each of the message's links (one click per link code). */
  clicks: readonly Date[];
  /** The message's unique coupon, once messages carry one (issue 11, coupons); null until then. */
  couponCode?: string | null;
}

export interface AttributionInput {
  order: AttributionOrder;
  /** The order's contact's messages (others are ignored). */
  messages: readonly AttributionMessage[];
}

export type AttributionKind = 'recovered' | 'influenced';

export type Attribution =
  | { kind: 'none'; why: 'no_contact' | 'not_paid' | 'no_touch' }
  | {
      kind: AttributionKind;
      messageId: number;
      lane: string;
      step: number;
      enrollmentId: number;
      couponCode: string | null;
      /** The click (recovered) or the delivery (influenced) that won. */
      touchedAt: Date;
      /** The order's total net of what was refunded, minor units: 0 once fully refunded. */
      amount: number;
      currency: string | null;
      refunded: boolean;
    };

/** Messages that never reached the shopper: a holdout's "would have been sent" and skipped steps. */
const NEVER_SENT: ReadonlySet<string> = new Set(['held_out', 'skipped']);

/**
 * When a message reached the shopper: its delivery, or its read when WhatsApp skipped the
 * `delivered` status (a read message was delivered), whichever is earlier.
 */
export function deliveredOf(message: Pick<AttributionMessage, 'deliveredAt' | 'readAt'>): Date | null {
  const { deliveredAt, readAt } = message;
  if (deliveredAt && readAt) return deliveredAt.getTime() <= readAt.getTime() ? deliveredAt : readAt;
  return deliveredAt ?? readAt;
}

/**
 * The order's instant that touches are measured against: when the shopper PLACED it (falling
 * back to when it was paid). Placing the order is the shopper's act that a click can lead to;
 * the payment's time is the gateway's (a bank transfer is confirmed days later, by the merchant),
 * so measuring to it would lose orders the message did bring.
 */
export function orderInstant(order: Pick<AttributionOrder, 'placedAt' | 'paidAt'>): Date | null {
  return order.placedAt ?? order.paidAt;
}

type RefundFacts = Pick<AttributionOrder, 'refundedAt' | 'refundedAmount' | 'status' | 'total'>;

/**
 * Fully refunded, whatever amount was reported: the status is `refunded`, or an `order.refunded`
 * was reported and no event ever said how much (an order stored before amounts were kept).
 */
function fullyRefunded(order: RefundFacts): boolean {
  return bareStatus(order.status) === 'refunded' || (order.refundedAt !== null && order.refundedAmount === null);
}

/** Refunded, in part or in full: some amount was given back, or the order is fully refunded. */
export function isRefunded(order: RefundFacts): boolean {
  return (order.refundedAmount ?? 0) > 0 || fullyRefunded(order);
}

/** What the order earned: its total less what was refunded, never below 0; 0 once fully refunded. */
export function netAmount(order: RefundFacts): number {
  if (fullyRefunded(order)) return 0;
  return Math.max(0, (order.total ?? 0) - (order.refundedAmount ?? 0));
}

/** Statuses that void a payment the order may have had: nothing was earned. */
const VOIDED: readonly string[] = ['cancelled', 'trash'];

/**
 * Paid: an `order.paid` was reported, or the status is a paid one (engine/conversion.ts:
 * processing, completed, refunded) — unless the order has since been cancelled or trashed.
 */
export function isPaid(order: Pick<AttributionOrder, 'paidAt' | 'status'>): boolean {
  const status = bareStatus(order.status);
  if (status !== null && VOIDED.includes(status)) return false;
  return order.paidAt !== null || orderOutcomeOf({ status: order.status }) === 'converted';
}

interface Touch {
  message: AttributionMessage;
  at: Date;
}

/** Positive when `a` is later than `b` (the same instant: the higher message id, so there is always one winner). */
const newerTouch = (a: Touch, b: Touch): number => a.at.getTime() - b.at.getTime() || a.message.id - b.message.id;

/** The latest touch at or before `instant` and within `windowMs` of it; ties go to the higher message id. */
function latestTouch(touches: readonly Touch[], instant: Date, windowMs: number): Touch | null {
  let best: Touch | null = null;
  for (const touch of touches) {
    const before = instant.getTime() - touch.at.getTime();
    if (before < 0 || before > windowMs) continue;
    if (best === null || newerTouch(touch, best) > 0) best = touch;
  }
  return best;
}

/**
 * THE ORDER OF CHECKS (the first that decides wins):
 *
 *  1. none        no_contact   the order is nobody's the sidecar knows (no contact, no messages)
 *  2. none        not_paid     the order is not, and never was, paid: neither `paid_at` nor a paid
 *                              status (processing, completed; refunded counts: it was paid) —
 *                              pending, failed, on-hold orders earn nothing, and neither does a
 *                              cancelled or trashed one, even if it was paid once
 *  3. none        no_touch     no instant to measure from (no placed or paid time)
 *  4. recovered                a click on one of the contact's sent messages at or before the
 *                              order was placed, at most 7 days before. Among several clicks the
 *                              LATEST wins (last touch): the link the shopper came back through.
 *  5. influenced               no such click, but a message delivered (or read) at or before the
 *                              order was placed, at most 3 days before. Among several the latest
 *                              delivered wins.
 *  6. none        no_touch
 *
 * An order counts once: a click beats any delivery, so no order is both recovered and
 * influenced. Held-out and skipped messages never attribute (they were never sent). A click
 * after the order was placed does not make it recovered (the shopper had already bought); such a
 * message can still have influenced it through its earlier delivery. Refunds subtract, the kind
 * kept: the amount is the total less what was refunded (`totals.refunded`, the largest any of the
 * order's events reported, since refunds only grow), never below 0, and `refunded` is true once
 * anything was given back. A `refunded` status, or an `order.refunded` that said no amount (a
 * plugin from before partial refunds were reported, or an order stored before), is a full refund:
 * amount 0 — rather than claim revenue that may have gone back.
 */
export function decideAttribution(input: AttributionInput): Attribution {
  const { order } = input;
  if (order.contactId === null) return { kind: 'none', why: 'no_contact' };
  if (!isPaid(order)) return { kind: 'none', why: 'not_paid' };
  const instant = orderInstant(order);
  if (instant === null) return { kind: 'none', why: 'no_touch' };

  const sent = input.messages.filter((m) => m.contactId === order.contactId && !NEVER_SENT.has(m.state));
  const clicks = sent.flatMap((message) => message.clicks.map((at) => ({ message, at })));
  const delivered = sent.flatMap((message) => {
    const at = deliveredOf(message);
    return at ? [{ message, at }] : [];
  });

  const click = latestTouch(clicks, instant, RECOVERED_WINDOW_MS);
  const touch = click ?? latestTouch(delivered, instant, INFLUENCED_WINDOW_MS);
  if (touch === null) return { kind: 'none', why: 'no_touch' };
  return {
    kind: click ? 'recovered' : 'influenced',
    messageId: touch.message.id,
    lane: touch.message.lane,
    step: touch.message.step,
    enrollmentId: touch.message.enrollmentId,
    couponCode: touch.message.couponCode ?? null,
    touchedAt: touch.at,
    amount: netAmount(order),
    currency: order.currency,
    refunded: isRefunded(order),
  };
}
