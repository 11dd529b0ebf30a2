import type { CatalogItem, CatalogReader, LiveProduct } from '../engine/catalog';

/** How long a product read from the store is trusted (issue 11: at most 60 s). */
export const CATALOG_TTL_MS = 60_000;
/** Entries kept at most; the oldest go first (a store's due steps name far fewer products). */
const MAX_ENTRIES = 5_000;

/** A product as last read, or `gone` (the store did not have it), and when. */
interface Entry {
  product: LiveProduct | 'gone';
  at: number;
}

/**
 * A CatalogReader that remembers each product's answer (including "deleted") for at most `ttlMs`,
 * read on the given clock (milliseconds; tests pass a fake one), keyed by item id (a variation's id
 * is its own: WooCommerce's products and variations share one id sequence). One call asks the store
 * once, for the items it has no fresh answer for, in one batch. A null answer (the store could not be asked)
 * is passed on and never cached, so the next call asks again.
 */
export function cachedCatalog(
  read: CatalogReader,
  clock: () => number = Date.now,
  ttlMs: number = CATALOG_TTL_MS,
): CatalogReader {
  const entries = new Map<number, Entry>();
  const fresh = (entry: Entry | undefined, now: number): entry is Entry =>
    entry !== undefined && now - entry.at < ttlMs;

  return async (items) => {
    const byId = new Map<number, CatalogItem>();
    for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
    const ids = [...byId.keys()];
    const now = clock();
    const missing = ids.filter((id) => !fresh(entries.get(id), now));
    if (missing.length > 0) {
      const answer = await read(missing.map((id) => byId.get(id) as CatalogItem));
      if (answer === null) return null;
      const at = clock();
      for (const id of missing) {
        entries.delete(id); // re-inserted last, so the map stays oldest first
        entries.set(id, { product: answer.get(id) ?? 'gone', at });
      }
      prune(entries, at, ttlMs);
    }
    const result = new Map<number, LiveProduct>();
    for (const id of ids) {
      const product = entries.get(id)?.product;
      if (product && product !== 'gone') result.set(id, product);
    }
    return result;
  };
}

/** Drops expired entries and, beyond MAX_ENTRIES, the oldest. */
function prune(entries: Map<number, Entry>, now: number, ttlMs: number): void {
  for (const [id, entry] of entries) {
    if (entries.size <= MAX_ENTRIES && now - entry.at < ttlMs) break;
    entries.delete(id);
  }
}
