import { lanesAtOrAbove } from './arbitration';
import { holdoutCell, type Cell } from './holdout';
import { parseDurationMs, type LaneSettings } from './lanes';
import { isRealOrder } from './winback';

/**
 * The browse-abandonment lane's planning core (DESIGN.md, "Lanes"; issue 10, "browse_abandonment"),
 * pure: whether a known, consented shopper who looked at products and left gets one message about
 * one of them, which one, and when. The planner (recovery/browse/plan.ts) finds the candidates
 * with grouped SQL, reads their facts and asks `planBrowse`; recovery/enroll.ts starts the journey
 * with the contact's row locked and checks the once-per-product window again there.
 *
 * THE ORDER OF CHECKS (the first that holds decides; only its reason is given):
 *
 *  1. disabled        the lane is off
 *  2. no_consent      no marketing consent (browse is a marketing lane)
 *  3. active_journey  a journey of browse abandonment or a lane above it (abandoned_cart,
 *                     payment_recovery) is active: wait for a later pass (a win-back journey, below,
 *                     is superseded by the start, engine/arbitration.ts)
 *  4. no_views        no product view within the lookback (`BROWSE_LOOKBACK_MS`, 24 h): older views
 *                     are history, not browse abandonment
 *  5. handled         every such view is at or before the start of the contact's newest browse
 *                     journey (any product, any state): ONE JOURNEY PER VISIT — a shopper who looked
 *                     at three products and left gets one message, not three as each journey ends;
 *                     only views after it count from here on
 *  6. still_browsing  the newest view of ANY product is less than `inactivity_delay` old: the shopper
 *                     may still be browsing, so nothing is sent until they have been idle that long
 *  7. per product viewed within the lookback, the first that holds excludes it:
 *       carted        it is in the lines of one of the contact's carts changed within the lookback
 *                     (added after the view, or already in the cart they are building: the cart
 *                     lane's business)
 *       bought        it is in an order the contact placed within the lookback (any status but
 *                     cancelled, trashed or draft: a pending order is payment recovery's business)
 *       repeat_window a browse journey for this product began within `repeat_after` (P7D): at most
 *                     once per product per contact per window, whatever became of that journey
 *       out_of_stock  its newest view said it was out of stock
 *  8. no_product      every viewed product was excluded (`excluded` says why, product by product)
 *  9. start           otherwise, one journey about ONE product, THE CHOICE: the product viewed most
 *                     often within the lookback; ties by the newer latest view, then the lower
 *                     product id. Its newest view is the anchor and the episode, and gives the
 *                     offer (name, price, image, link as the shopper last saw them); step 1 is due
 *                     at the anchor plus its delay, at once if that has passed.
 */

export const BROWSE_LANE = 'browse_abandonment';
/** The enrollment's subject kind; its id is `${contactId}:${productId}` (`browseSubjectId`). */
export const BROWSE_SUBJECT = 'product';
/** Views older than this are not browse abandonment, and the window carts and orders are read in. */
export const BROWSE_LOOKBACK_MS = 24 * 3600 * 1000;
/** The once-per-product window when the settings name none. */
export const DEFAULT_REPEAT_AFTER = 'P7D';

/** One product view of the contact, as the store reported it then. */
export interface BrowseView {
  productId: number;
  viewedAt: Date;
  name: string;
  /** Minor units. */
  price: number;
  currency: string;
  imageUrl: string | null;
  url: string;
  inStock: boolean;
}

export interface BrowseFacts {
  contactId: number;
  marketingConsent: boolean;
  /** Its product views (the caller may pass more than the lookback: older ones are ignored here). */
  views: readonly BrowseView[];
  /** Its carts' current lines: each cart's product ids and when its content last changed. */
  carts: readonly { productIds: readonly number[]; changedAt: Date }[];
  /** Its orders: status, product ids and when placed. */
  orders: readonly { status: string | null; productIds: readonly number[]; placedAt: Date }[];
  /** Lanes of its active journeys. */
  activeLanes: readonly string[];
  /**
   * Its browse journeys, any state: the product and when each began. Those begun within
   * `repeat_after` or the lookback matter (`browseJourneysSince`); older ones are ignored.
   */
  browseJourneys: readonly { productId: number; startedAt: Date }[];
}

export type ProductExclusion = 'carted' | 'bought' | 'repeat_window' | 'out_of_stock';

export interface BrowseOffer {
  currency: string;
  products: { product_id: number; name: string; price: number; image_url: string | null; url: string }[];
}

export type BrowseVerdict =
  | {
      kind: 'start';
      productId: number;
      /** How often it was viewed within the lookback (the choice's first criterion). */
      views: number;
      /** The product's newest view: the journey's anchor and episode. */
      anchorAt: Date;
      nextDueAt: Date;
      cell: Cell;
      offer: BrowseOffer;
    }
  | { kind: 'none'; reason: 'disabled' | 'no_consent' | 'active_journey' | 'no_views' | 'handled' | 'still_browsing' }
  | { kind: 'none'; reason: 'no_product'; excluded: { productId: number; reason: ProductExclusion }[] };

/** The enrollment's subject id: one contact's interest in one product. */
export function browseSubjectId(contactId: number, productId: number): string {
  return `${contactId}:${productId}`;
}

/** The oldest view that still counts at `now`. */
export function browseLookbackSince(now: Date): Date {
  return new Date(now.getTime() - BROWSE_LOOKBACK_MS);
}

/** A browse journey for the product begun after this keeps another from starting. */
export function browseRepeatSince(settings: LaneSettings, now: Date): Date {
  return new Date(now.getTime() - parseDurationMs(settings.repeat_after ?? DEFAULT_REPEAT_AFTER));
}

/** The browse journeys the facts must hold: those begun within `repeat_after` or the lookback. */
export function browseJourneysSince(settings: LaneSettings, now: Date): Date {
  return new Date(Math.min(browseRepeatSince(settings, now).getTime(), browseLookbackSince(now).getTime()));
}

/** The newest view that leaves a shopper idle long enough at `now`. */
export function browseIdleSince(settings: LaneSettings, now: Date): Date {
  return new Date(now.getTime() - parseDurationMs(settings.inactivity_delay));
}

interface Viewed {
  latest: BrowseView;
  count: number;
}

/**
 * Decides for one contact at `now`, in the order of checks above. When several products qualify,
 * the one viewed most often within the lookback is chosen; ties go to the one viewed most
 * recently, then to the lower product id.
 */
export function planBrowse(facts: BrowseFacts, settings: LaneSettings, salt: string, now: Date): BrowseVerdict {
  if (!settings.enabled) return { kind: 'none', reason: 'disabled' };
  if (!facts.marketingConsent) return { kind: 'none', reason: 'no_consent' };
  const blocking: readonly string[] = lanesAtOrAbove(BROWSE_LANE);
  if (facts.activeLanes.some((lane) => blocking.includes(lane))) return { kind: 'none', reason: 'active_journey' };

  const since = browseLookbackSince(now).getTime();
  if (!facts.views.some((view) => view.viewedAt.getTime() >= since)) return { kind: 'none', reason: 'no_views' };
  // Views at or before the newest browse journey's start were that journey's visit.
  const handledUntil = Math.max(-Infinity, ...facts.browseJourneys.map((j) => j.startedAt.getTime()));
  const viewed = new Map<number, Viewed>();
  let newest = -Infinity;
  for (const view of facts.views) {
    const at = view.viewedAt.getTime();
    if (at < since || at <= handledUntil) continue;
    newest = Math.max(newest, at);
    const seen = viewed.get(view.productId);
    if (!seen) viewed.set(view.productId, { latest: view, count: 1 });
    else {
      seen.count++;
      if (at >= seen.latest.viewedAt.getTime()) seen.latest = view;
    }
  }
  if (viewed.size === 0) return { kind: 'none', reason: 'handled' };
  if (newest > browseIdleSince(settings, now).getTime()) return { kind: 'none', reason: 'still_browsing' };

  const carted = new Set(facts.carts.filter((c) => c.changedAt.getTime() >= since).flatMap((c) => c.productIds));
  const bought = new Set(
    facts.orders.filter((o) => o.placedAt.getTime() >= since && isRealOrder(o.status)).flatMap((o) => o.productIds),
  );
  const repeatSince = browseRepeatSince(settings, now).getTime();
  const repeated = new Set(
    facts.browseJourneys.filter((j) => j.startedAt.getTime() > repeatSince).map((j) => j.productId),
  );
  const exclusion = (id: number, seen: Viewed): ProductExclusion | null => {
    if (carted.has(id)) return 'carted';
    if (bought.has(id)) return 'bought';
    if (repeated.has(id)) return 'repeat_window';
    if (!seen.latest.inStock) return 'out_of_stock';
    return null;
  };

  const excluded: { productId: number; reason: ProductExclusion }[] = [];
  let chosen: Viewed | null = null;
  for (const [id, seen] of [...viewed].sort(([a], [b]) => a - b)) {
    const reason = exclusion(id, seen);
    if (reason) excluded.push({ productId: id, reason });
    else if (!chosen || preferred(seen, chosen)) chosen = seen;
  }
  if (!chosen) return { kind: 'none', reason: 'no_product', excluded };

  const view = chosen.latest;
  const anchor = view.viewedAt.getTime();
  const first = settings.steps[0];
  const due = anchor + parseDurationMs(first ? first.delay : settings.inactivity_delay);
  return {
    kind: 'start',
    productId: view.productId,
    views: chosen.count,
    anchorAt: view.viewedAt,
    nextDueAt: new Date(Math.max(due, now.getTime())),
    cell: holdoutCell(String(facts.contactId), BROWSE_LANE, salt, settings.holdout_percent),
    offer: {
      currency: view.currency,
      products: [
        { product_id: view.productId, name: view.name, price: view.price, image_url: view.imageUrl, url: view.url },
      ],
    },
  };
}

/** THE CHOICE: more views first, then the newer latest view, then the lower product id. */
function preferred(a: Viewed, b: Viewed): boolean {
  if (a.count !== b.count) return a.count > b.count;
  const at = a.latest.viewedAt.getTime() - b.latest.viewedAt.getTime();
  if (at !== 0) return at > 0;
  return a.latest.productId < b.latest.productId;
}
