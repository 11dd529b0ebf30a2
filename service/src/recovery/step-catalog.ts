import {
  checkCart,
  checkOffer,
  lineItem,
  type CartCheck,
  type CatalogItem,
  type CatalogReader,
  type LiveProduct,
  type OfferCheck,
} from '../engine/catalog';
import type { StepFacts } from './facts';
import { linesOf } from './facts-subject';

/**
 * The stepper's edge of engine/catalog.ts: which products a step asks the store about, the
 * asking (no lock held: see recovery/stepper.ts), and the check of the step's facts against the
 * answer.
 */

/** The store's answer for the ids it was asked about. */
export interface LiveAnswer {
  asked: ReadonlySet<number>;
  products: ReadonlyMap<number, LiveProduct>;
}

/**
 * The items a step is checked by: a cart's lines (a variation by its own id, under its product),
 * a browse or win-back offer's products. Null when the step is not checked: payment recovery (its
 * order's price is fixed), or nothing to ask about (an empty cart or offer: other checks end those).
 */
export function catalogItems(facts: StepFacts): CatalogItem[] | null {
  let items: CatalogItem[];
  switch (facts.subject.kind) {
    case 'cart':
      items = linesOf(facts.cart?.lines ?? null).map(lineItem);
      break;
    case 'product':
    case 'winback':
      items = (facts.offer?.products ?? []).flatMap((p) =>
        p.product_id === undefined ? [] : [{ id: p.product_id, parentId: null }],
      );
      break;
    default:
      return null;
  }
  const byId = new Map<number, CatalogItem>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  return byId.size > 0 ? [...byId.values()] : null;
}

/** Asks the store; null when it cannot answer (no access, or the reader failed): nothing is checked. */
export async function readLive(catalog: CatalogReader, items: readonly CatalogItem[]): Promise<LiveAnswer | null> {
  try {
    const products = await catalog(items);
    return products ? { asked: new Set(items.map((item) => item.id)), products } : null;
  } catch {
    return null;
  }
}

/** Whether the answer covers every item the step needs now (the cart may have changed since it was asked). */
export function covers(answer: LiveAnswer, items: readonly CatalogItem[]): boolean {
  return items.every((item) => answer.asked.has(item.id));
}

/**
 * The step's cart or offer as the message may show it, or null when not checked. Prices are
 * compared only in the store's currency (engine/catalog.ts).
 */
export function checkStep(facts: StepFacts, answer: LiveAnswer, storeCurrency: string): CartCheck | OfferCheck | null {
  switch (facts.subject.kind) {
    case 'cart': {
      const cart = facts.cart;
      if (!cart) return null;
      const comparePrices = (cart.currency ?? storeCurrency) === storeCurrency;
      return checkCart(linesOf(cart.lines), cart.total ?? 0, answer.products, { comparePrices });
    }
    case 'product':
    case 'winback': {
      const offer = facts.offer;
      if (!offer) return null;
      const comparePrices = (offer.currency ?? storeCurrency) === storeCurrency;
      return checkOffer(offer.products, answer.products, { comparePrices });
    }
    default:
      return null;
  }
}

/** What the journey's history says of a live check that changed the message: the ids the store no longer has. */
export function stockDetail(check: CartCheck | OfferCheck | null): string | null {
  if (!check || check.removed.length === 0) return null;
  return `no longer in the store: product ${check.removed.join(', ')}`;
}
