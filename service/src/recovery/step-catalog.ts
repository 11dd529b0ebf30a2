import {
  checkCart,
  checkOffer,
  lineItemId,
  type CartCheck,
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
 * The item ids a step is checked by: a cart's lines (a variation by its own id), a browse or
 * win-back offer's products. Null when the step is not checked: payment recovery (its order's
 * price is fixed), or nothing to ask about (an empty cart or offer: other checks end those).
 */
export function catalogIds(facts: StepFacts): number[] | null {
  let ids: number[];
  switch (facts.subject.kind) {
    case 'cart':
      ids = linesOf(facts.cart?.lines ?? null).map(lineItemId);
      break;
    case 'product':
    case 'winback':
      ids = (facts.offer?.products ?? []).flatMap((p) => (p.product_id === undefined ? [] : [p.product_id]));
      break;
    default:
      return null;
  }
  return ids.length > 0 ? [...new Set(ids)] : null;
}

/** Asks the store; null when it cannot answer (no access, or the reader failed): nothing is checked. */
export async function readLive(catalog: CatalogReader, ids: readonly number[]): Promise<LiveAnswer | null> {
  try {
    const products = await catalog(ids);
    return products ? { asked: new Set(ids), products } : null;
  } catch {
    return null;
  }
}

/** Whether the answer covers every id the step needs now (the cart may have changed since it was asked). */
export function covers(answer: LiveAnswer, ids: readonly number[]): boolean {
  return ids.every((id) => answer.asked.has(id));
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
