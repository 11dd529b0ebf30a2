import type { Cell } from './holdout';
import { parseDurationMs, type LaneSettings, type TemplateCategory } from './lanes';
import { quietUntil, type QuietWindow } from './quiet-hours';
import type { ReasonCode } from './reasons';
import type { SubjectStop } from './subject';

/**
 * The send decision: whether a step that has fallen due goes now, and if not, why. One pure
 * function of plain data and a given `now` (DESIGN.md, "Decide at send time"); the dispatcher
 * gathers the facts as they are now, calls `decideSend`, and records the outcome and its reason.
 */

/** How many messages within a rolling window (the caller counts them; the decision compares). */
export interface CapWindow {
  max: number;
  windowMs: number;
}

export interface DecisionInput {
  lane: {
    name: string;
    category: TemplateCategory;
    enabled: boolean;
    quietHours: QuietWindow;
    /** Marketing messages (any lane) to one contact; only counted for marketing lanes. */
    capPerContact: CapWindow;
    /** Messages of this lane to one contact (across subjects), or null for no such cap. */
    capPerLane: CapWindow | null;
  };
  /** The store-wide kill switch. */
  allPaused: boolean;
  /**
   * Pauses set by a monitor (monitors/decide.ts) until an admin resumes: `all` for the number's
   * quality, `lane` for this lane. Absent: none.
   */
  monitorPaused?: { all: boolean; lane: boolean };
  contact: {
    /** The phone is a valid E.164 number WhatsApp can reach. */
    phoneValid: boolean;
    /**
     * The contact has opted out of messages of this lane's category: a STOP reply, or a
     * `user_preferences` marketing stop (which the caller passes for marketing lanes only).
     */
    optedOut: boolean;
    /** Current consent per scope, from the ledger. */
    consent: { marketing: boolean; utility: boolean };
    /** A person has taken over the conversation. */
    handoffActive: boolean;
  };
  subject: {
    /** A paid order by the contact after the subject (the cart) began (engine/conversion.ts). */
    converted: boolean;
    /**
     * An order by the contact after the subject began that is placed but not paid (pending,
     * failed, on hold), and no paid one: the cart journey ends, and it is no conversion.
     */
    paymentPending: boolean;
    cartEmpty: boolean;
    /**
     * A lane's own end of the subject (engine/subject.ts): the viewed product put in a cart, the
     * unpaid order cancelled, refunded, on hold or disputed. Absent or null: none.
     */
    stop?: SubjectStop | null;
    /** Undefined when stock is not known (no WooCommerce REST access): then not checked. */
    outOfStock?: boolean;
  };
  /**
   * A journey of a higher lane is active for this contact (engine/arbitration.ts): this one was
   * displaced and stops.
   */
  superseded: boolean;
  /** The enrollment's cell, decided once when it began. */
  cell: Cell;
  /** The step's template is approved (not paused, disabled or missing in its language). */
  templateAvailable: boolean;
  /** WhatsApp's per-user marketing limit was hit recently (a 131049 for this contact). */
  providerMarketingLimited: boolean;
  /** An email or SMS nudge for the same subject was reported within the window. */
  recentCrossChannel: boolean;
  /** Marketing messages sent to this contact within `lane.capPerContact.windowMs`. */
  marketingSentInWindow: number;
  /** Messages of this lane sent to this contact within `lane.capPerLane.windowMs` (0 when uncapped). */
  laneSentInWindow: number;
  /** The store's time zone (IANA, or a fixed offset such as `+05:30`). */
  storeTimeZone: string;
  /**
   * The contact's own time zone when it is known (engine/contact-zone.ts: from the phone's
   * country), else null. Quiet hours are read in it, else in the store's.
   */
  contactTimeZone: string | null;
  /**
   * The pre-send re-check with the store (cart lanes): has the contact ordered since the cart
   * began? `not_needed` — no store to ask (no plugin known); `pending` — not asked yet;
   * `no_order` / `ordered` (a paid order) / `payment_pending` (only orders not paid) — the
   * store's answer, as engine/conversion.ts reads it; `unreachable` — no usable answer.
   */
  storeCheck: StoreCheck;
}

export type StoreCheck = 'not_needed' | 'pending' | 'no_order' | 'ordered' | 'payment_pending' | 'unreachable';

/** How long a step waits when the store could not be asked, before it is decided again. */
export const STORE_RETRY_MS = 60_000;

/**
 * - `send`: send the step now.
 * - `defer`: quiet hours, or the store could not be asked; decide again at `until` (the facts
 *   may have changed by then).
 * - `verify`: everything else would let the step go (or be held out): ask the store whether the
 *   contact has ordered (holding no lock meanwhile), then decide again with its answer.
 * - `skip`: this step is not sent; later steps of the journey may still go.
 * - `stop`: the journey is over; no later step goes.
 * - `held_out`: the holdout cell; everything else would have let it go, so it is recorded as
 *   "would have been sent" for the lift measurement.
 */
export type SendDecision =
  | { kind: 'send' }
  | { kind: 'defer'; until: Date; reason: 'quiet_hours' | 'store_unreachable' }
  | { kind: 'verify' }
  | { kind: 'skip'; reason: ReasonCode }
  | { kind: 'stop'; reason: ReasonCode }
  | { kind: 'held_out'; reason: 'held_out' };

/** A decision that acts on the journey (everything but `verify`, which asks first). */
export type FinalDecision = Exclude<SendDecision, { kind: 'verify' }>;

interface Check {
  reason: ReasonCode;
  outcome: 'stop' | 'skip';
  blocks: (input: DecisionInput) => boolean;
}

/** The subject stops (engine/subject.ts), in their place in the order below. */
const SUBJECT_STOPS: readonly SubjectStop[] = [
  'product_in_cart',
  'order_cancelled',
  'order_refunded',
  'order_on_hold',
  'order_disputed',
  'all_out_of_stock',
  'products_gone',
];

const isMarketing = (input: DecisionInput): boolean => input.lane.category === 'marketing';

/**
 * THE ORDER OF CHECKS (part of the API: the first check that blocks wins, and only its reason is
 * recorded). Stops come before skips, because a journey that is over should end now rather than
 * be skipped step by step; within each group, contact before subject before store state.
 *
 *  1. stop  opted_out                  the contact said STOP (or stopped marketing in the app)
 *  2. stop  no_consent                 marketing lane without marketing consent, utility without utility
 *  3. stop  invalid_phone              no reachable number
 *  4. stop  converted                  the contact paid an order placed after the cart began (one the
 *                                      sidecar holds, or the store's answer `ordered` to the re-check)
 *  5. stop  payment_pending            no paid order, but one placed since and not paid (the sidecar's,
 *                                      or the store's answer `payment_pending`): never a conversion
 *  6. stop  product_in_cart            browse: the viewed product is in one of the contact's carts
 *  7. stop  order_cancelled            payment recovery: its order was cancelled (or trashed)
 *  8. stop  order_refunded             payment recovery: its order was refunded
 *  9. stop  order_on_hold              payment recovery: its order awaits a manual confirmation
 * 10. stop  order_disputed             payment recovery: a gateway reports its order disputed
 *                                      (6–10: engine/subject.ts; for payment recovery, 5 never
 *                                      applies: its own order is unpaid by definition)
 * 11. stop  all_out_of_stock           the live check (engine/catalog.ts): every item of the cart or
 *                                      offer the store still has cannot be bought now
 * 12. stop  products_gone              the live check: every product of a browse or win-back offer
 *                                      was deleted (a cart's is cart_empty)
 * 13. stop  cart_empty                 nothing left to recover (carts only; also every line deleted)
 * 14. stop  handoff_active             a person is handling the conversation
 * 15. stop  superseded                 a journey of a higher lane is active for the contact
 * 16. skip  all_paused                 the store-wide kill switch
 * 17. skip  sending_paused_by_monitor  a monitor paused all sending (the number's quality)
 * 18. skip  lane_paused                the lane is disabled
 * 19. skip  lane_paused_by_monitor     a monitor paused the lane (opt-outs, reads, failures, a template)
 * 20. skip  template_unavailable       the step's template cannot be sent (or has nothing to be
 *                                      filled with: payment recovery without its order's pay link)
 * 21. skip  out_of_stock               some of the cart's items cannot be bought now (only when the
 *                                      store's products could be read, engine/catalog.ts)
 * 22. skip  provider_marketing_limit   marketing lanes: WhatsApp's per-user marketing limit
 * 23. skip  cross_channel_recent       another channel nudged about this subject recently
 * 24. skip  frequency_cap_lane         this lane's cap per contact is reached
 * 25. skip  frequency_cap_contact      marketing lanes: the contact's marketing cap (messages of
 *                                      every marketing lane) is reached
 * 26. defer quiet_hours                until quiet hours end in the contact's time zone when known,
 *                                      else the store's
 * 27. verify                           store check `pending`: ask the store before anything goes
 *                                      (both cells, so treatment and holdout stay comparable)
 * 28. defer store_unreachable          store check `unreachable`: decide again in STORE_RETRY_MS;
 *                                      never send on facts that may be stale
 * 29. held_out                         the holdout cell, once nothing above blocked
 * 30. send
 *
 * The store is asked only when nothing else holds the step back, so a step that is skipped,
 * stopped or deferred for quiet hours costs the store no call.
 */
const CHECKS: readonly Check[] = [
  { reason: 'opted_out', outcome: 'stop', blocks: (i) => i.contact.optedOut },
  { reason: 'no_consent', outcome: 'stop', blocks: (i) => !i.contact.consent[i.lane.category] },
  { reason: 'invalid_phone', outcome: 'stop', blocks: (i) => !i.contact.phoneValid },
  { reason: 'converted', outcome: 'stop', blocks: (i) => i.subject.converted || i.storeCheck === 'ordered' },
  {
    reason: 'payment_pending',
    outcome: 'stop',
    blocks: (i) => i.subject.paymentPending || i.storeCheck === 'payment_pending',
  },
  ...SUBJECT_STOPS.map((reason): Check => ({ reason, outcome: 'stop', blocks: (i) => i.subject.stop === reason })),
  { reason: 'cart_empty', outcome: 'stop', blocks: (i) => i.subject.cartEmpty },
  { reason: 'handoff_active', outcome: 'stop', blocks: (i) => i.contact.handoffActive },
  { reason: 'superseded', outcome: 'stop', blocks: (i) => i.superseded },
  { reason: 'all_paused', outcome: 'skip', blocks: (i) => i.allPaused },
  { reason: 'sending_paused_by_monitor', outcome: 'skip', blocks: (i) => i.monitorPaused?.all === true },
  { reason: 'lane_paused', outcome: 'skip', blocks: (i) => !i.lane.enabled },
  { reason: 'lane_paused_by_monitor', outcome: 'skip', blocks: (i) => i.monitorPaused?.lane === true },
  { reason: 'template_unavailable', outcome: 'skip', blocks: (i) => !i.templateAvailable },
  { reason: 'out_of_stock', outcome: 'skip', blocks: (i) => i.subject.outOfStock === true },
  { reason: 'provider_marketing_limit', outcome: 'skip', blocks: (i) => isMarketing(i) && i.providerMarketingLimited },
  { reason: 'cross_channel_recent', outcome: 'skip', blocks: (i) => i.recentCrossChannel },
  {
    reason: 'frequency_cap_lane',
    outcome: 'skip',
    blocks: (i) => i.lane.capPerLane !== null && i.laneSentInWindow >= i.lane.capPerLane.max,
  },
  {
    reason: 'frequency_cap_contact',
    outcome: 'skip',
    blocks: (i) => isMarketing(i) && i.marketingSentInWindow >= i.lane.capPerContact.max,
  },
];

/** The reasons in the order they are checked (the table above), ending with the deferrals and holdout. */
export const DECISION_ORDER: readonly ReasonCode[] = [
  ...CHECKS.map((check) => check.reason),
  'quiet_hours',
  'store_unreachable',
  'held_out',
];

/**
 * Decides what happens to a step that has fallen due at `now`. Pure: no IO, no clock but `now`.
 * Throws a RangeError only for malformed settings (an unknown time zone or a bad quiet-hours time),
 * which settings and configuration validation keep out.
 */
export function decideSend(input: DecisionInput, now: Date): SendDecision {
  for (const check of CHECKS) {
    if (!check.blocks(input)) continue;
    return check.outcome === 'stop' ? { kind: 'stop', reason: check.reason } : { kind: 'skip', reason: check.reason };
  }
  const until = quietUntil(now, input.contactTimeZone ?? input.storeTimeZone, input.lane.quietHours);
  if (until) return { kind: 'defer', until, reason: 'quiet_hours' };
  if (input.storeCheck === 'pending') return { kind: 'verify' };
  if (input.storeCheck === 'unreachable') {
    return { kind: 'defer', until: new Date(now.getTime() + STORE_RETRY_MS), reason: 'store_unreachable' };
  }
  if (input.cell === 'holdout') return { kind: 'held_out', reason: 'held_out' };
  return { kind: 'send' };
}

/** The `lane` part of a `DecisionInput`, from the lane's stored (validated) settings. */
export function decisionLane(name: string, settings: LaneSettings): DecisionInput['lane'] {
  return {
    name,
    category: settings.category,
    enabled: settings.enabled,
    quietHours: settings.quiet_hours,
    capPerContact: { max: settings.cap_per_contact.max, windowMs: parseDurationMs(settings.cap_per_contact.window) },
    capPerLane: settings.lane_cap
      ? { max: settings.lane_cap.max, windowMs: parseDurationMs(settings.lane_cap.window) }
      : null,
  };
}
