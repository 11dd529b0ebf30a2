import axios, { type AxiosInstance } from 'axios';
import Joi from 'joi';
import { signatureHeaders } from '@cartback/shared';

/**
 * The sidecar's calls to the plugin's signed routes (a thin adapter over axios): ask the store to
 * deliver its outbox now, and ask whether a contact has ordered since a cart began. Requests are
 * signed with the shared secret as the plugin signs its own (HMAC-SHA256 over timestamp, method,
 * path with query and body). An answer that is not what the contract says — another status, not
 * JSON, the wrong shape, a redirect — counts as no answer. Results carry a short description of
 * a failure for the logs: never the secret, never the phone or email asked about.
 */

export const STORE_TIMEOUT_MS = 10_000;

export interface OrdersQuery {
  /** The cart episode's start: orders created at or after it count. */
  since: Date;
  cartKey?: string;
  phone?: string;
  email?: string;
  customerId?: number;
}

export interface OrdersAnswer {
  ordered: boolean;
  orders: Array<{ order_id: number; status: string; created_at: string }>;
}

export interface DeliverAnswer {
  sent: number;
  pending: number;
}

export type StoreCall<T> = { ok: true; value: T } | { ok: false; error: string };

export interface StoreClient {
  /** The routes' base, such as `https://shop.example/wp-json/cartback/v1`. */
  readonly baseUrl: string;
  deliver(): Promise<StoreCall<DeliverAnswer>>;
  orders(query: OrdersQuery): Promise<StoreCall<OrdersAnswer>>;
}

/**
 * Where the plugin's routes are: STORE_API_URL when configured (the store's own address may not
 * be reachable from the sidecar, as inside docker compose), else the `api_url` the plugin
 * reported in `store.updated`, else STORE_URL's `/wp-json/cartback/v1`; null when none is known
 * (then there is no store to ask).
 */
export function storeApiBase(known: {
  configured?: string | undefined;
  reported: string | null;
  storeUrl?: string | undefined;
}): string | null {
  const base =
    known.configured ||
    known.reported ||
    (known.storeUrl && `${known.storeUrl.replace(/\/+$/, '')}/wp-json/cartback/v1`);
  return base ? base.replace(/\/+$/, '') : null;
}

const count = Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).required();
const deliverSchema = Joi.object({ sent: count, pending: count }).unknown(true);
const ordersSchema = Joi.object({
  ordered: Joi.boolean().strict().required(),
  orders: Joi.array()
    .items(
      Joi.object({
        order_id: Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER).required(),
        status: Joi.string().max(64).required(),
        created_at: Joi.string().isoDate().required(),
      }).unknown(true),
    )
    .max(100)
    .required(),
}).unknown(true);

/** The request body of `/sidecar/orders` (the contract's field names). */
export function ordersBody(query: OrdersQuery): Record<string, string | number> {
  return {
    since: query.since.toISOString(),
    ...(query.cartKey ? { cart_key: query.cartKey } : {}),
    ...(query.phone ? { phone: query.phone } : {}),
    ...(query.email ? { email: query.email } : {}),
    ...(query.customerId ? { customer_id: query.customerId } : {}),
  };
}

export function createStoreClient(options: {
  baseUrl: string;
  secret: () => string;
  timeoutMs?: number;
  nowSeconds?: () => number;
}): StoreClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http: AxiosInstance = axios.create({
    timeout: options.timeoutMs ?? STORE_TIMEOUT_MS,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    validateStatus: () => true,
  });

  async function post<T>(route: string, body: object, schema: Joi.ObjectSchema): Promise<StoreCall<T>> {
    const url = `${baseUrl}${route}`;
    const raw = JSON.stringify(body);
    try {
      const { pathname, search } = new URL(url);
      const headers = signatureHeaders(
        options.secret(),
        { method: 'POST', path: `${pathname}${search}`, body: raw },
        options.nowSeconds?.(),
      );
      const res = await http.post<string>(url, raw, {
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      });
      if (res.status !== 200) return { ok: false, error: `${route}: HTTP ${res.status}${errorCode(res.data)}` };
      let json: unknown;
      try {
        json = JSON.parse(res.data);
      } catch {
        return { ok: false, error: `${route}: the answer is not JSON` };
      }
      const { error, value } = schema.validate(json, { convert: false });
      if (error) return { ok: false, error: `${route}: unexpected answer (${error.message})` };
      return { ok: true, value: value as T };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, error: `${route}: ${e.code ?? 'request failed'}` };
    }
  }

  return {
    baseUrl,
    deliver: () => post<DeliverAnswer>('/sidecar/deliver', {}, deliverSchema),
    orders: (query) => post<OrdersAnswer>('/sidecar/orders', ordersBody(query), ordersSchema),
  };
}

/** The WordPress REST error code of a refusal (`cartback_unauthorized`), for the logs. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? ` ${code}` : '';
  } catch {
    return '';
  }
}
