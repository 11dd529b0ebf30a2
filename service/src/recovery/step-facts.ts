import type { Line } from '@cartback/shared';
import type { CartCheck, OfferCheck } from '../engine/catalog';
import type { CartFacts } from '../engine/render';
import type { StepFacts } from './facts';

/** The store's settings a rendered step reads. */
export interface RenderStore {
  locale: string;
  currency: string;
  name: string;
}

/** Win-back offers at most this many products (lane settings' `max_products` caps it lower). */
const MAX_OFFERED = 3;

/**
 * The values a step's template is filled from, per subject kind, and the locale to format them
 * in. Pure.
 *
 * - cart: the live cart's lines, total and currency, in the cart's locale;
 * - order: the order's number (its WooCommerce id), total and currency; the pay link is the
 *   tracked link's code (/r/ sends the shopper to the order's own pay page);
 * - product (browse): the one product of the offer, in the offer's currency;
 * - winback: up to 3 products of the offer, in the store's currency.
 *
 * When the store's products were read (engine/catalog.ts, `live`), the cart's lines and total, or
 * the offer's products, are the checked ones: removed items gone, live prices and images.
 *
 * Missing values are left out, so rendering fails on the parameter that needs one and the step is
 * skipped (`template_unavailable`) rather than sent half-filled.
 */
export function renderFacts(
  store: RenderStore,
  facts: StepFacts,
  linkCode: string,
  live: CartCheck | OfferCheck | null = null,
): { values: CartFacts; locale: string } {
  const base = { firstName: facts.contact.firstName, storeName: store.name, linkCode };
  const contactLocale = facts.contact.locale ?? store.locale;
  switch (facts.subject.kind) {
    case 'order': {
      const order = facts.order;
      return {
        values: {
          ...base,
          lines: [],
          total: order?.total ?? 0,
          currency: order?.currency ?? store.currency,
          ...(order && order.total !== null ? { order: { number: String(order.order_id), total: order.total } } : {}),
        },
        locale: contactLocale,
      };
    }
    case 'product':
    case 'winback': {
      const offer = facts.offer;
      const max = facts.subject.kind === 'product' ? 1 : MAX_OFFERED;
      return {
        values: {
          ...base,
          lines: [],
          total: 0,
          currency: offer?.currency ?? store.currency,
          products: (live && 'products' in live ? live.products : (offer?.products ?? [])).slice(0, max),
        },
        locale: contactLocale,
      };
    }
    case 'cart': {
      const cart = facts.cart;
      return {
        values: {
          ...base,
          lines: live && 'lines' in live ? live.lines : (JSON.parse(cart?.lines ?? '[]') as Line[]),
          total: live && 'lines' in live ? live.total : (cart?.total ?? 0),
          currency: cart?.currency ?? store.currency,
        },
        locale: cart?.locale ?? contactLocale,
      };
    }
  }
}
