import { holdoutCell, type Cell } from './holdout';
import { bareStatus, NOT_AN_ORDER_STATUSES } from './conversion';
import { parseDurationMs, type LaneSettings } from './lanes';

/**
 * The win-back lane's planning core (DESIGN.md, "Lanes"; issue 10, "winback"), pure: who has
 * lapsed, which products to offer them, and when their journey starts. The daily pass
 * (recovery/winback-pass.ts) finds the candidates with grouped SQL and asks these functions.
 *
 * - Lapsed: marketing consent; the last *paid* order (processing, completed) is at least
 *   `lapse_after` old; no order of any kind placed since (a pending or failed one included; a
 *   cancelled, trashed or draft one is no order); no win-back journey begun within
 *   `repeat_after`; no active journey of any lane (arbitration decides that again, locked).
 * - Products: up to `max_products`, from the categories the contact bought most (category
 *   affinity: quantity bought per category over paid order lines), never one they bought, from a
 *   pool of candidate products (recovery/winback-pool.ts says where the pool comes from).
 */

export const WINBACK_LANE = 'winback';
/** The enrollment's subject: the contact itself (`subject_id` its id), one episode per pass day. */
export const WINBACK_SUBJECT = 'winback';
/** Paid, for the lapse: the order was bought and kept (conversion.ts also counts refunded as converted). */
export const WINBACK_PAID_STATUSES: readonly string[] = ['processing', 'completed'];

export interface WinbackOrder {
  status: string | null;
  placedAt: Date;
}

export interface WinbackContactFacts {
  contactId: number;
  marketingConsent: boolean;
  /** When its newest paid order was placed (`orderSummary`), or null. */
  lastPaidAt: Date | null;
  /** When its newest order of any kind was placed, or null. */
  lastOrderAt: Date | null;
  /** When the newest win-back journey of the contact began, if any. */
  lastWinbackAt: Date | null;
  /** Lanes of the contact's active journeys. */
  activeLanes: readonly string[];
}

export type LapseVerdict =
  | { kind: 'lapsed'; lastPaidAt: Date; lapsedAt: Date }
  | {
      kind: 'not_lapsed';
      reason: 'no_consent' | 'no_paid_order' | 'too_recent' | 'ordered_since' | 'repeat_window' | 'active_journey';
    };

export function isPaidStatus(status: string | null): boolean {
  const bare = bareStatus(status);
  return bare !== null && WINBACK_PAID_STATUSES.includes(bare);
}

/** An order that counts as "something since": anything but a cancelled, trashed or draft one. */
export function isRealOrder(status: string | null): boolean {
  const bare = bareStatus(status);
  return bare === null || !NOT_AN_ORDER_STATUSES.includes(bare);
}

/**
 * The newest paid order and the newest order of any kind (the SQL of recovery/winback/lapsed.ts
 * computes the same, grouped).
 */
export function orderSummary(orders: readonly WinbackOrder[]): { lastPaidAt: Date | null; lastOrderAt: Date | null } {
  let lastPaid: number | null = null;
  let lastAny: number | null = null;
  for (const order of orders) {
    const at = order.placedAt.getTime();
    if (isPaidStatus(order.status)) lastPaid = lastPaid === null ? at : Math.max(lastPaid, at);
    if (isRealOrder(order.status)) lastAny = lastAny === null ? at : Math.max(lastAny, at);
  }
  return {
    lastPaidAt: lastPaid === null ? null : new Date(lastPaid),
    lastOrderAt: lastAny === null ? null : new Date(lastAny),
  };
}

/** Whether the contact has lapsed at `now` under the lane's settings, and since when. */
export function lapseOf(facts: WinbackContactFacts, settings: LaneSettings, now: Date): LapseVerdict {
  if (!facts.marketingConsent) return { kind: 'not_lapsed', reason: 'no_consent' };
  if (facts.lastPaidAt === null) return { kind: 'not_lapsed', reason: 'no_paid_order' };
  const lastPaid = facts.lastPaidAt.getTime();
  if (facts.lastOrderAt !== null && facts.lastOrderAt.getTime() > lastPaid) {
    return { kind: 'not_lapsed', reason: 'ordered_since' };
  }
  const lapsedAt = lastPaid + parseDurationMs(settings.lapse_after ?? 'P60D');
  if (lapsedAt > now.getTime()) return { kind: 'not_lapsed', reason: 'too_recent' };
  if (facts.lastWinbackAt && facts.lastWinbackAt.getTime() > repeatSince(settings, now).getTime()) {
    return { kind: 'not_lapsed', reason: 'repeat_window' };
  }
  if (facts.activeLanes.length > 0) return { kind: 'not_lapsed', reason: 'active_journey' };
  return { kind: 'lapsed', lastPaidAt: facts.lastPaidAt, lapsedAt: new Date(lapsedAt) };
}

/** The newest last-paid-order time that counts as lapsed at `now`. */
export function lapseCutoff(settings: LaneSettings, now: Date): Date {
  return new Date(now.getTime() - parseDurationMs(settings.lapse_after ?? 'P60D'));
}

/** A win-back journey begun after this keeps a new one from starting (`repeat_after`, default P30D). */
export function repeatSince(settings: LaneSettings, now: Date): Date {
  return new Date(now.getTime() - parseDurationMs(settings.repeat_after ?? 'P30D'));
}

/**
 * The episode of a pass: midnight UTC of the pass's day. With the contact it is the enrollment's
 * unique key, so a second pass the same day starts nothing again.
 */
export function winbackEpisode(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** A line of a paid order, as far as affinity needs it. */
export interface PurchasedLine {
  productId: number;
  quantity: number;
  categoryIds: readonly number[];
  placedAt: Date;
}

/** A product that may be offered (recovery/winback-pool.ts). */
export interface CandidateProduct {
  productId: number;
  name: string;
  /** Minor units, as last seen. */
  price: number;
  imageUrl: string | null;
  url: string;
  categoryIds: readonly number[];
  /** False when the store last said it was out of stock; such products are never offered. */
  inStock: boolean;
  /** How often it was seen in the pool's window (carts, orders, views): the popularity tie-break. */
  seen: number;
}

export interface ChosenProduct {
  product_id: number;
  name: string;
  price: number;
  image_url: string | null;
  url: string;
  /** The contact's category it was chosen for. */
  category_id: number;
}

/**
 * The contact's categories, most bought first: quantity per category over paid lines; ties by the
 * newer purchase in the category, then the lower category id.
 */
export function categoryAffinity(lines: readonly PurchasedLine[]): number[] {
  const score = new Map<number, { quantity: number; last: number }>();
  for (const line of lines) {
    for (const id of new Set(line.categoryIds)) {
      const s = score.get(id) ?? { quantity: 0, last: 0 };
      s.quantity += Math.max(1, line.quantity);
      s.last = Math.max(s.last, line.placedAt.getTime());
      score.set(id, s);
    }
  }
  return [...score]
    .sort(([a, sa], [b, sb]) => sb.quantity - sa.quantity || sb.last - sa.last || a - b)
    .map(([id]) => id);
}

/**
 * Up to `max` products for the contact: in stock, not bought before, in one of the contact's
 * categories; ranked by the contact's best category the product is in, then popularity in the
 * pool, then the lower product id. Empty when nothing fits (the contact is then not enrolled).
 */
export function chooseProducts(
  lines: readonly PurchasedLine[],
  pool: readonly CandidateProduct[],
  max: number,
): ChosenProduct[] {
  const affinity = categoryAffinity(lines);
  if (affinity.length === 0 || max <= 0) return [];
  const rank = new Map(affinity.map((id, i) => [id, i]));
  const bought = new Set(lines.map((l) => l.productId));
  const ranked: { product: CandidateProduct; rank: number; category: number }[] = [];
  for (const product of pool) {
    if (!product.inStock || bought.has(product.productId)) continue;
    let best: number | null = null;
    for (const id of product.categoryIds) {
      const r = rank.get(id);
      if (r !== undefined && (best === null || r < (rank.get(best) as number))) best = id;
    }
    if (best !== null) ranked.push({ product, rank: rank.get(best) as number, category: best });
  }
  ranked.sort(
    (a, b) => a.rank - b.rank || b.product.seen - a.product.seen || a.product.productId - b.product.productId,
  );
  const chosen: ChosenProduct[] = [];
  const taken = new Set<number>();
  for (const { product, category } of ranked) {
    if (chosen.length >= max) break;
    if (taken.has(product.productId)) continue;
    taken.add(product.productId);
    chosen.push({
      product_id: product.productId,
      name: product.name,
      price: product.price,
      image_url: product.imageUrl,
      url: product.url,
      category_id: category,
    });
  }
  return chosen;
}

export interface WinbackStart {
  cell: Cell;
  anchorAt: Date;
  nextDueAt: Date;
  episodeAt: Date;
  products: ChosenProduct[];
}

/**
 * A lapsed contact's journey, or null when the lane is off or no product fits. The anchor is the
 * moment of lapse, but no earlier than `inactivity_delay` before now, so a contact who lapsed long
 * ago gets the first step now and later steps keep their spacing.
 */
export function planWinback(
  settings: LaneSettings,
  contact: { contactId: number; lapsedAt: Date; lines: readonly PurchasedLine[] },
  pool: readonly CandidateProduct[],
  salt: string,
  now: Date,
): WinbackStart | null {
  if (!settings.enabled) return null;
  const products = chooseProducts(contact.lines, pool, settings.max_products ?? 3);
  if (products.length === 0) return null;
  const delay = parseDurationMs(settings.inactivity_delay);
  const anchor = Math.max(contact.lapsedAt.getTime(), now.getTime() - delay);
  const first = settings.steps[0];
  const due = anchor + (first ? parseDurationMs(first.delay) : delay);
  return {
    cell: holdoutCell(String(contact.contactId), WINBACK_LANE, salt, settings.holdout_percent),
    anchorAt: new Date(anchor),
    nextDueAt: new Date(Math.max(due, now.getTime())),
    episodeAt: winbackEpisode(now),
    products,
  };
}
