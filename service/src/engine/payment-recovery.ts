import { bareStatus, NOT_AN_ORDER_STATUSES } from './conversion';
import { parseDurationMs, type LaneName, type LaneSettings } from './lanes';

/**
 * The payment_recovery lane's planning core (DESIGN.md, "Lanes"; issue 10, "payment_recovery"),
 * pure: whether an order that is not paid starts a journey now, from when its steps count, and
 * when its first step falls due. recovery/payment/planner.ts finds the candidates with one SQL
 * query, reads consent and the store's profile, and asks `paymentStartOf` for each.
 *
 * Triggers:
 * - the order's payment failed — status `failed`, or `pending` again after a failure (`failed_at`
 *   is set): the journey starts at once, anchored at `failed_at` (at `placed_at` when the failure
 *   time is not known), so step 1 ("complete your payment", +30 min) comes 30 minutes after the
 *   failure;
 * - the order is still `pending` payment `inactivity_delay` (default 30 min) after it was placed:
 *   anchored at `placed_at` — but not when WooCommerce's own reminder email for pending orders is
 *   on: WooCommerce reminds about those, and the shopper is never reminded twice about one order
 *   (plugin/src/admin/WhoSends.tsx tells the admin so). A failed order is still Cartback's:
 *   WooCommerce's failed-order email is news of the failure, not a reminder with a pay link.
 *   Not reported (an older plugin) counts as off, as the admin screen shows it.
 *
 * A cart journey that ended as `payment_pending` needs nothing special to hand over: the order
 * that ended it is itself the trigger here, and payment recovery outranks every lane
 * (engine/arbitration.ts), so enrolling supersedes any lower journey still running.
 *
 * The verdicts' reasons below are the planner's, not stored: nothing is recorded for an order
 * that does not start, so they are not reason codes (engine/reasons.ts).
 */

export const PAYMENT_LANE = 'payment_recovery' satisfies LaneName;
/** The enrollment's subject: the order (`subject_id` its WooCommerce id, episode its `placed_at`). */
export const PAYMENT_SUBJECT = 'order';
/**
 * An order placed longer ago than this is history, not a payment to recover: never enrolled
 * (the same 7 days as the cart lane's lookback). It also keeps a lane turned on for the first
 * time from reminding about every unpaid order the store ever had.
 */
export const PAYMENT_LOOKBACK_MS = 7 * 24 * 3600 * 1000;
/** The bare statuses of an order awaiting payment; any other status never starts a journey. */
export const PENDING_STATUS = 'pending';
export const FAILED_STATUS = 'failed';

/** Statuses of a paid order (conversion.ts: refunded too, which has its own reason here). */
const PAID_STATUSES: readonly string[] = ['processing', 'completed'];

/** One order's plain facts, as the planner read them. */
export interface PaymentOrderFacts {
  /** WooCommerce's status, with or without its `wc-` prefix; null when never reported. */
  status: string | null;
  placedAt: Date;
  failedAt: Date | null;
  paidAt: Date | null;
  refundedAt: Date | null;
  contactId: number | null;
  /** The order's own pay page (`get_checkout_payment_url()`), null when the store sent none. */
  payUrl: string | null;
  /** The contact's current utility consent (the ledger). */
  utilityConsent: boolean;
  /** WooCommerce's own pending-order reminder email is on (null: not reported, counted as off). */
  wcPendingOrderEmail: boolean | null;
  /** A payment_recovery journey exists (in any state) for this order. */
  alreadyEnrolled: boolean;
}

export type PaymentNotReason =
  | 'lane_disabled'
  | 'already_enrolled'
  | 'paid'
  | 'refunded'
  | 'cancelled'
  | 'on_hold'
  | 'not_awaiting_payment'
  | 'no_contact'
  | 'no_consent'
  | 'no_pay_link'
  | 'too_old'
  | 'store_reminds'
  | 'too_early';

/** The journey to start (its holdout cell is the caller's: engine/holdout.ts, by contact). */
export type PaymentStart =
  | { kind: 'start'; trigger: 'failed' | 'pending'; contactId: number; anchorAt: Date; nextDueAt: Date }
  | { kind: 'not'; reason: PaymentNotReason };

interface Context {
  facts: PaymentOrderFacts;
  status: string | null;
  settings: LaneSettings;
  now: Date;
}

/** The payment failed: status `failed`, or `pending` after a failure. */
function hasFailed(c: Context): boolean {
  return c.status === FAILED_STATUS || (c.status === PENDING_STATUS && c.facts.failedAt !== null);
}

/**
 * THE ORDER OF CHECKS (the first that applies is the answer): the lane, then the order's own
 * state (what the shopper did), then who it is and whether they may be written to, then time.
 *
 *  1. lane_disabled         the lane is off
 *  2. already_enrolled      this order has (had) its journey: one per order, ever
 *  3. paid                  `paid_at` is set, or status processing / completed
 *  4. refunded              `refunded_at` is set, or status refunded
 *  5. cancelled             status cancelled, trash, draft or checkout-draft: no order to pay
 *  6. on_hold               status on-hold: awaiting the payment's confirmation (a bank
 *                           transfer), not a payment that went wrong
 *  7. not_awaiting_payment  any other status, or none reported: only pending and failed start
 *  8. no_contact            no contact is known for the order
 *  9. no_consent            the contact has no utility consent
 * 10. no_pay_link           no pay URL: nothing to send the shopper to
 * 11. too_old               placed more than PAYMENT_LOOKBACK_MS before `now`
 * 12. store_reminds         pending and WooCommerce's pending-order email is on (a failed-then-
 *                           pending order too: WooCommerce reminds about every pending order)
 * 13. too_early             pending, never failed, and placed less than `inactivity_delay` ago
 * 14. start                 failed: anchored at `failed_at`; pending: anchored at `placed_at`
 */
const CHECKS: readonly { reason: PaymentNotReason; blocks: (c: Context) => boolean }[] = [
  { reason: 'lane_disabled', blocks: (c) => !c.settings.enabled },
  { reason: 'already_enrolled', blocks: (c) => c.facts.alreadyEnrolled },
  { reason: 'paid', blocks: (c) => c.facts.paidAt !== null || (c.status !== null && PAID_STATUSES.includes(c.status)) },
  { reason: 'refunded', blocks: (c) => c.facts.refundedAt !== null || c.status === 'refunded' },
  { reason: 'cancelled', blocks: (c) => c.status !== null && NOT_AN_ORDER_STATUSES.includes(c.status) },
  { reason: 'on_hold', blocks: (c) => c.status === 'on-hold' },
  { reason: 'not_awaiting_payment', blocks: (c) => c.status !== PENDING_STATUS && c.status !== FAILED_STATUS },
  { reason: 'no_contact', blocks: (c) => c.facts.contactId === null },
  { reason: 'no_consent', blocks: (c) => !c.facts.utilityConsent },
  { reason: 'no_pay_link', blocks: (c) => !c.facts.payUrl },
  { reason: 'too_old', blocks: (c) => c.facts.placedAt.getTime() < paymentLookbackSince(c.now).getTime() },
  { reason: 'store_reminds', blocks: (c) => c.status === PENDING_STATUS && c.facts.wcPendingOrderEmail === true },
  {
    reason: 'too_early',
    blocks: (c) => !hasFailed(c) && c.facts.placedAt.getTime() > pendingPlacedBefore(c.settings, c.now).getTime(),
  },
];

/** The reasons in the order they are checked. */
export const PAYMENT_CHECK_ORDER: readonly PaymentNotReason[] = CHECKS.map((check) => check.reason);

/**
 * Whether the order starts a payment_recovery journey at `now`, and if so from when its steps
 * count (`anchorAt`) and when step 1 is due: the anchor plus the first step's delay, or `now`
 * when the planner comes late. Pure.
 */
export function paymentStartOf(facts: PaymentOrderFacts, settings: LaneSettings, now: Date): PaymentStart {
  const context: Context = { facts, status: bareStatus(facts.status), settings, now };
  for (const check of CHECKS) if (check.blocks(context)) return { kind: 'not', reason: check.reason };
  const failed = hasFailed(context);
  const anchorAt = failed ? (facts.failedAt ?? facts.placedAt) : facts.placedAt;
  const first = settings.steps[0];
  const due = anchorAt.getTime() + (first ? parseDurationMs(first.delay) : 0);
  return {
    kind: 'start',
    trigger: failed ? 'failed' : 'pending',
    contactId: facts.contactId as number,
    anchorAt,
    nextDueAt: new Date(Math.max(due, now.getTime())),
  };
}

/** Orders placed before this are too old to start a journey at `now`. */
export function paymentLookbackSince(now: Date): Date {
  return new Date(now.getTime() - PAYMENT_LOOKBACK_MS);
}

/** A pending order (never failed) placed at or before this has waited `inactivity_delay` at `now`. */
export function pendingPlacedBefore(settings: LaneSettings, now: Date): Date {
  return new Date(now.getTime() - parseDurationMs(settings.inactivity_delay));
}
