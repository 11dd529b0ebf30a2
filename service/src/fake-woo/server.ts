import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { WooCoupon, WooProduct } from '../woo/types';
import { oauthSignatureValid } from './oauth';
import { DISCOUNT_TYPES, FakeWooState, type FakeProductInput } from './state';

/**
 * A fake of the WooCommerce REST API routes the sidecar calls (a test double, for the tests, the
 * demo and benchmarks; never used by the sidecar itself): under `/wp-json/wc/v3`,
 * `GET products` (include, per_page, page), `GET products/:id`, `GET products/:id/variations`
 * (include, per_page, page; 200 [] for a parent it does not have, as WooCommerce 10.5), `GET|POST coupons`,
 * `DELETE coupons/:id` (force). It answers in WooCommerce's field names, with its paging headers
 * (X-WP-Total, X-WP-TotalPages) and its error bodies `{code, message, data: {status}}`:
 * 401 `woocommerce_rest_cannot_view` / `_cannot_create` / `_cannot_delete` without credentials,
 * 401 `woocommerce_rest_authentication_error` for a wrong key, secret or OAuth signature, 404
 * `woocommerce_rest_product_invalid_id` / `woocommerce_rest_shop_coupon_invalid_id`, 400
 * `rest_invalid_param` (a coupon's fields are checked against WC_REST_Coupons_Controller's schema:
 * `amount`, `minimum_amount`, `maximum_amount`, `description`, `date_expires` strings,
 * `usage_limit` and `usage_limit_per_user` integers, `individual_use` a boolean,
 * `email_restrictions` an array of strings), 400 `woocommerce_rest_coupon_code_already_exists`.
 *
 * Credentials as WooCommerce takes them: OAuth 1.0a query parameters always; HTTP Basic or
 * `consumer_key`/`consumer_secret` in the query only when `ssl` is true (WooCommerce tries those
 * only when is_ssl(), i.e. on https or behind a proxy that says so; default true).
 *
 * The test drives it: `state` (add products, change their stock or price, delete them; coupons
 * made are kept, listable, and their usage settable), `delayMs` (answer late, for timeouts), and
 * `requests` (what was asked: method, path and query without any credential).
 */

export interface FakeWooRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

export interface FakeWoo {
  /** The store's home URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly state: FakeWooState;
  readonly requests: FakeWooRequest[];
  /** Whether Basic and query-string credentials are accepted (WordPress's is_ssl()). */
  ssl: boolean;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  addProduct(input: FakeProductInput): WooProduct;
  close(): Promise<void>;
}

const PREFIX = '/wp-json/wc/v3';
const AUTH_PARAMS = /^(consumer_key|consumer_secret|oauth_.*)$/;

function wooError(res: Response, status: number, code: string, message: string, params?: Record<string, string>): void {
  res.status(status).json({ code, message, data: { status, ...(params ? { params } : {}) } });
}

function invalidParam(res: Response, name: string, why: string): void {
  wooError(res, 400, 'rest_invalid_param', `Invalid parameter(s): ${name}`, { [name]: why });
}

/** The query as PHP's $_GET reads it: a repeated name keeps its last value (the JS library repeats its query). */
function phpQuery(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.originalUrl, 'http://x').searchParams);
}

/** An integer query parameter in [min, max], its default when absent, or null when invalid. */
function intParam(value: unknown, fallback: number, min: number, max: number): number | null {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** A list parameter as WordPress reads it: "1,2,3", or include[]=1&include[]=2. */
function idList(url: URL, name: string): number[] | null | undefined {
  const raw = [...url.searchParams.entries()]
    .filter(([k]) => k === name || k.startsWith(`${name}[`))
    .flatMap(([, v]) => v.split(','));
  if (raw.length === 0) return undefined;
  const ids = raw.map((v) => v.trim()).filter((v) => v !== '');
  return ids.every((v) => /^\d+$/.test(v)) ? ids.map(Number) : null;
}

export async function startFakeWoo(
  options: { consumerKey?: string; consumerSecret?: string; host?: string; port?: number; ssl?: boolean } = {},
): Promise<FakeWoo> {
  let server: Server | null = null;
  let url = '';
  const state = new FakeWooState(() => url);
  const fake: FakeWoo = {
    get url() {
      return url;
    },
    consumerKey: options.consumerKey ?? `ck_${'a1'.repeat(20)}`,
    consumerSecret: options.consumerSecret ?? `cs_${'b2'.repeat(20)}`,
    state,
    requests: [],
    ssl: options.ssl ?? true,
    delayMs: 0,
    addProduct: (input) => state.addProduct(input),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.use((req, _res, next) => {
    const query = Object.fromEntries(
      [...new URL(req.originalUrl, 'http://x').searchParams].filter(([k]) => !AUTH_PARAMS.test(k)),
    );
    fake.requests.push({ method: req.method, path: req.path, query });
    setTimeout(next, fake.delayMs);
  });

  /** WC_REST_Authentication, as far as a key pair goes. */
  function authenticate(req: Request, res: Response, next: NextFunction): void {
    const url = new URL(req.originalUrl, `http://${req.get('host')}`);
    const forbidden = {
      GET: ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'],
      POST: ['woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'],
      DELETE: ['woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.'],
    }[req.method as 'GET'] ?? ['woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'];
    let key: string | undefined;
    let secret: string | undefined;
    if (fake.ssl) {
      key = url.searchParams.get('consumer_key') ?? undefined;
      secret = url.searchParams.get('consumer_secret') ?? undefined;
      const basic = /^Basic (.+)$/i.exec(req.get('authorization') ?? '');
      if (!key && basic)
        [key, secret] = Buffer.from(basic[1] as string, 'base64')
          .toString('utf8')
          .split(':');
    }
    if (key) {
      if (key !== fake.consumerKey) return wooError(res, 401, forbidden[0] as string, forbidden[1] as string);
      if (secret !== fake.consumerSecret)
        return wooError(res, 401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
      return next();
    }
    const oauthKey = url.searchParams.get('oauth_consumer_key');
    if (oauthKey === null) return wooError(res, 401, forbidden[0] as string, forbidden[1] as string);
    if (oauthKey !== fake.consumerKey)
      return wooError(res, 401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    if (!oauthSignatureValid(req.method, url, fake.consumerSecret)) {
      return wooError(
        res,
        401,
        'woocommerce_rest_authentication_error',
        'Invalid signature - provided signature does not match.',
      );
    }
    next();
  }

  /** A page of a listing, with WooCommerce's headers. */
  function page<T>(req: Request, res: Response, items: T[]): void {
    const query = phpQuery(req);
    const perPage = intParam(query.per_page, 10, 1, 100);
    if (perPage === null)
      return invalidParam(res, 'per_page', 'per_page must be between 1 (inclusive) and 100 (inclusive)');
    const pageNo = intParam(query.page, 1, 1, Number.MAX_SAFE_INTEGER);
    if (pageNo === null) return invalidParam(res, 'page', 'page must be greater than or equal to 1');
    res.set('X-WP-Total', String(items.length));
    res.set('X-WP-TotalPages', String(Math.ceil(items.length / perPage)));
    res.json(items.slice((pageNo - 1) * perPage, pageNo * perPage));
  }

  const newestFirst = <T extends { id: number }>(items: Iterable<T>) => [...items].sort((a, b) => b.id - a.id);

  app.get(`${PREFIX}/products`, authenticate, (req, res) => {
    const include = idList(new URL(req.originalUrl, 'http://x'), 'include');
    if (include === null) return invalidParam(res, 'include', 'include[0] is not of type integer.');
    const products = newestFirst(state.products.values()).filter(
      (p) => p.status !== 'trash' && (!include || include.includes(p.id)),
    );
    page(req, res, products);
  });

  app.get(`${PREFIX}/products/:id`, authenticate, (req, res) => {
    const product = state.products.get(Number(req.params.id));
    if (!product) return wooError(res, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
    res.json(product);
  });

  app.get(`${PREFIX}/products/:id/variations`, authenticate, (req, res) => {
    const parentId = Number(req.params.id);
    // WooCommerce 10.5 lists variations by post_parent: a parent that is gone (or never was)
    // answers 200 [] (checked in a real store), not 404.
    const include = idList(new URL(req.originalUrl, 'http://x'), 'include');
    if (include === null) return invalidParam(res, 'include', 'include[0] is not of type integer.');
    const variations = newestFirst(
      [...state.variations.values()].filter((v) => v.parentId === parentId).map((v) => v.variation),
    ).filter((v) => v.status !== 'trash' && (!include || include.includes(v.id)));
    page(req, res, variations);
  });

  app.get(`${PREFIX}/coupons`, authenticate, (req, res) => {
    const include = idList(new URL(req.originalUrl, 'http://x'), 'include');
    if (include === null) return invalidParam(res, 'include', 'include[0] is not of type integer.');
    const { code: codeParam, search: searchParam } = phpQuery(req);
    const code = codeParam?.toLowerCase();
    const search = searchParam?.toLowerCase();
    const coupons = newestFirst(state.coupons.values()).filter(
      (c: WooCoupon) =>
        c.status !== 'trash' &&
        (!include || include.includes(c.id)) &&
        (code === undefined || c.code === code) &&
        (search === undefined || c.code.includes(search)),
    );
    page(req, res, coupons);
  });

  app.post(`${PREFIX}/coupons`, authenticate, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.discount_type !== undefined && !DISCOUNT_TYPES.includes(body.discount_type as never)) {
      return invalidParam(res, 'discount_type', `discount_type is not one of ${DISCOUNT_TYPES.join(', ')}.`);
    }
    if (body.amount !== undefined && typeof body.amount !== 'string')
      return invalidParam(res, 'amount', 'amount is not of type string.');
    if (body.usage_limit !== undefined && !Number.isInteger(body.usage_limit)) {
      return invalidParam(res, 'usage_limit', 'usage_limit is not of type integer.');
    }
    if (body.usage_limit_per_user !== undefined && !Number.isInteger(body.usage_limit_per_user)) {
      return invalidParam(res, 'usage_limit_per_user', 'usage_limit_per_user is not of type integer.');
    }
    if (body.individual_use !== undefined && typeof body.individual_use !== 'boolean') {
      return invalidParam(res, 'individual_use', 'individual_use is not of type boolean.');
    }
    if (
      body.email_restrictions !== undefined &&
      (!Array.isArray(body.email_restrictions) || !body.email_restrictions.every((e) => typeof e === 'string'))
    ) {
      return invalidParam(res, 'email_restrictions', 'email_restrictions is not of type array.');
    }
    for (const name of ['minimum_amount', 'maximum_amount', 'description', 'date_expires', 'code'] as const) {
      if (body[name] !== undefined && body[name] !== null && typeof body[name] !== 'string') {
        return invalidParam(res, name, `${name} is not of type string.`);
      }
    }
    const made = state.createCoupon(body, new Date());
    if ('status' in made && typeof made.status === 'number')
      return wooError(res, made.status, made.code, (made as { message: string }).message);
    res.status(201).json(made);
  });

  app.delete(`${PREFIX}/coupons/:id`, authenticate, (req, res) => {
    const coupon = state.coupons.get(Number(req.params.id));
    if (!coupon) return wooError(res, 404, 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.');
    const { force } = phpQuery(req);
    if (force === 'true' || force === '1') {
      state.coupons.delete(coupon.id);
      return res.json(coupon);
    }
    coupon.status = 'trash';
    res.json(coupon);
  });

  app.use((req, res) => wooError(res, 404, 'rest_no_route', 'No route was found matching the URL and request method.'));

  server = await new Promise<Server>((resolve) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
  });
  url = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return fake;
}
