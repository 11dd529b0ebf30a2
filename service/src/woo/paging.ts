/** Pure helpers for reading WooCommerce's collections: chunks of ids, and its paging headers. */

/** WordPress caps `per_page` at 100. */
export const MAX_PER_PAGE = 100;
/** Never read more pages than this of one listing: a store that keeps saying "more" is not believed. */
export const MAX_PAGES = 1000;

/** The distinct positive integer ids, in first-seen order, in chunks of at most `size`. */
export function idChunks(ids: readonly number[], size: number): number[][] {
  const distinct = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
  const chunks: number[][] = [];
  for (let i = 0; i < distinct.length; i += size) chunks.push(distinct.slice(i, i + size));
  return chunks;
}

/** X-WP-TotalPages as a number of pages (1 when absent or unreadable: the page read is all there is). */
export function totalPages(header: unknown): number {
  const value = Array.isArray(header) ? header[0] : header;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, MAX_PAGES) : 1;
}
