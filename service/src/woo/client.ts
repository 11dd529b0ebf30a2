import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { toWooError, WooUnreachableError } from './errors';
import { idChunks, MAX_PER_PAGE, totalPages } from './paging';
import type { WooCoupon, WooCouponInput, WooCouponQuery, WooProduct, WooVariation } from './types';

/**
 * The sidecar's client of the store's WooCommerce REST API (wc/v3), over
 * `@woocommerce/woocommerce-rest-api` (axios underneath). What it calls:
 *
 * - `products(ids)`: `GET products?include=…&per_page=100&page=n`, ids in chunks of 100, every
 *   page up to X-WP-TotalPages; ids the store does not have (deleted, trashed) are simply absent,
 *   and so are variations (another post type: `products/<parent>/variations` lists them);
 * - `variations(parent, ids)`: `GET products/<parent>/variations?include=…`, paged the same way;
 *   for a parent the store does not have, the list is empty (WooCommerce queries by post_parent)
 *   or, where a version checks the parent, 404 `woocommerce_rest_product_invalid_id` (a WooError);
 * - `createCoupon`: `POST coupons`; `deleteCoupon`: `DELETE coupons/:id?force=true` (not the trash:
 *   a trashed code still blocks making the same code again);
 * - `listCoupons`: `GET coupons` with WooCommerce's filters, every page.
 *
 * How the library authenticates (and so what travels where): over https, HTTP Basic with the
 * consumer key and secret in the Authorization header (we never turn on `queryStringAuth`, which
 * would put the secret in the URL); over plain http, WooCommerce accepts only OAuth 1.0a, so the
 * library signs each request (HMAC-SHA256) and sends `oauth_consumer_key`, nonce, timestamp and
 * signature in the query: the key is in the URL, the secret never is (the library also repeats
 * the request's own query beside the OAuth parameters; PHP keeps one of each). Redirects are not followed
 * (an http → https redirect would otherwise replay the request elsewhere). Failures are
 * WooError / WooUnreachableError (errors.ts), which never carry the URL or the credentials; the
 * credentials live in private fields, so logging a client shows none of them.
 */

export interface WooCredentials {
  /** The store's home URL (the REST API is under `<url>/wp-json/wc/v3`). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface WooClientOptions {
  /** Per request (default 5 s). */
  timeoutMs?: number;
  /** `per_page` of every listing, 1–100 (default 100). */
  pageSize?: number;
}

export const WOO_TIMEOUT_MS = 5_000;

interface Reply {
  data: unknown;
  headers: Record<string, unknown>;
}

function isObjectWithId(value: unknown): boolean {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof value === 'object' && value !== null && Number.isSafeInteger(id) && (id as number) > 0;
}

function listOf<T>(data: unknown, what: string): T[] {
  if (!Array.isArray(data) || !data.every(isObjectWithId)) {
    throw new WooUnreachableError('bad_response', `The store's ${what} listing is not a list of ${what}`);
  }
  return data as T[];
}

function oneOf<T>(data: unknown, what: string): T {
  if (!isObjectWithId(data)) throw new WooUnreachableError('bad_response', `The store's reply is not a ${what}`);
  return data as T;
}

export class WooClient {
  readonly #api: WooCommerceRestApi;
  readonly #pageSize: number;
  /** The store's home URL, without credentials. */
  readonly url: string;

  constructor(credentials: WooCredentials, options: WooClientOptions = {}) {
    this.url = credentials.url.replace(/\/+$/, '');
    this.#pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? MAX_PER_PAGE), 1), MAX_PER_PAGE);
    this.#api = new WooCommerceRestApi({
      url: this.url,
      consumerKey: credentials.consumerKey,
      consumerSecret: credentials.consumerSecret,
      version: 'wc/v3',
      queryStringAuth: false,
      timeout: options.timeoutMs ?? WOO_TIMEOUT_MS,
      axiosConfig: { maxRedirects: 0 },
    });
  }

  /** The products with these ids that the store has (any status but trash), in the store's order. */
  async products(ids: readonly number[]): Promise<WooProduct[]> {
    const found: WooProduct[] = [];
    for (const chunk of idChunks(ids, MAX_PER_PAGE)) {
      found.push(...(await this.#all<WooProduct>('products', { include: chunk.join(',') }, 'products')));
    }
    return found;
  }

  /**
   * The variations with these ids under the parent product (any status but trash). When the parent
   * is gone: none, or a WooError 404 `woocommerce_rest_product_invalid_id` (both mean gone).
   */
  async variations(parentId: number, ids: readonly number[]): Promise<WooVariation[]> {
    if (!Number.isSafeInteger(parentId) || parentId <= 0) throw new RangeError(`Not a product id: ${parentId}`);
    const found: WooVariation[] = [];
    for (const chunk of idChunks(ids, MAX_PER_PAGE)) {
      const endpoint = `products/${parentId}/variations`;
      found.push(...(await this.#all<WooVariation>(endpoint, { include: chunk.join(',') }, 'variations')));
    }
    return found;
  }

  /** Makes a coupon; WooCommerce answers 400 `woocommerce_rest_coupon_code_already_exists` for a taken code. */
  async createCoupon(input: WooCouponInput): Promise<WooCoupon> {
    const reply = await this.#call(() => this.#api.post('coupons', input));
    return oneOf<WooCoupon>(reply.data, 'coupon');
  }

  /** Deletes a coupon for good; 404 `woocommerce_rest_shop_coupon_invalid_id` when there is none. */
  async deleteCoupon(id: number): Promise<void> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`Not a coupon id: ${id}`);
    await this.#call(() => this.#api.delete(`coupons/${id}`, { force: true }));
  }

  /** Every coupon matching the filters, all pages read. */
  async listCoupons(query: WooCouponQuery = {}): Promise<WooCoupon[]> {
    const { include, per_page: perPage, ...rest } = query;
    // Over http the library writes every key into the signed URL, an undefined one as "undefined".
    const params: Record<string, string | number> = Object.fromEntries(
      Object.entries(rest).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    if (include) params.include = include.join(',');
    return this.#all<WooCoupon>('coupons', params, 'coupons', perPage);
  }

  async #all<T>(
    endpoint: string,
    params: Record<string, string | number>,
    what: string,
    perPage?: number,
  ): Promise<T[]> {
    const size = Math.min(Math.max(Math.trunc(perPage ?? this.#pageSize), 1), MAX_PER_PAGE);
    const items: T[] = [];
    for (let page = 1, pages = 1; page <= pages; page++) {
      const reply = await this.#call(() => this.#api.get(endpoint, { ...params, per_page: size, page }));
      const list = listOf<T>(reply.data, what);
      items.push(...list);
      pages = totalPages(reply.headers['x-wp-totalpages']);
      if (list.length === 0) break;
    }
    return items;
  }

  async #call(request: () => Promise<Reply>): Promise<Reply> {
    try {
      return await request();
    } catch (error) {
      throw toWooError(error);
    }
  }
}
