import Joi from 'joi';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy';
import { parseDurationMs } from './engine/lanes';
import { DEFAULT_RECONCILE_WINDOW } from './reconcile/decide';
import { parseEncryptionKey } from './store-access/crypto';
import type { WooCredentials } from './woo/client';

/** The sidecar's configuration, read from the environment (DESIGN.md, "Configuration"). */
export interface Config {
  databaseUrl: string;
  port: number;
  publicBaseUrl: string;
  /** Undefined when not set: then the secret kept in the database is used (or generated). */
  secret: string | undefined;
  storeUrl: string | undefined;
  /** Where the plugin's signed routes are, when the store's own address is not reachable from here. */
  storeApiUrl: string | undefined;
  store: { timezone: string; currency: string; locale: string };
  whatsapp: {
    provider: 'cloud' | '360dialog' | 'twilio';
    apiUrl: string;
    apiVersion: string;
    accessToken: string | undefined;
    phoneNumberId: string | undefined;
    wabaId: string | undefined;
    appSecret: string | undefined;
    verifyToken: string | undefined;
    /** WHATSAPP_WEBHOOK_SECRET: the shared secret 360dialog sends in a webhook header. */
    webhookSecret: string | undefined;
  };
  /** The store's REST API key from WOOCOMMERCE_* (all three set, or undefined): wins over the plugin's grant. */
  woocommerce: WooCredentials | undefined;
  /** CARTBACK_ENCRYPTION_KEY (32 bytes): encrypts the granted key at rest; else derived from the shared secret. */
  encryptionKey: Buffer | undefined;
  logLevel: string;
  /** Seconds between recovery engine ticks. */
  engineTickSeconds: number;
  /** The store-local hour (0–23) of the daily win-back pass. */
  winbackHour: number;
  /** Requests a minute one client may make, to `/r/:code` and to `/v1/restore/:token`; 0 is no limit. */
  rateLimits: { linkPerMinute: number; restorePerMinute: number };
  /** Whom to believe about a client's address in X-Forwarded-For (null: no one). */
  trustProxy: TrustProxy;
  /** How long a send whose answer was lost waits for its status webhook before it is `lost` (ms). */
  reconcileWindowMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value.replace('_', '-')).length === 1;
  } catch {
    return false;
  }
}

const MIN_RECONCILE_MS = 60_000;
const MAX_RECONCILE_MS = 30 * 24 * 3600 * 1000;

/** An ISO 8601 duration from one minute to 30 days, as milliseconds; undefined otherwise. */
function reconcileWindowMs(value: string): number | undefined {
  try {
    const ms = parseDurationMs(value);
    return ms >= MIN_RECONCILE_MS && ms <= MAX_RECONCILE_MS ? ms : undefined;
  } catch {
    return undefined;
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** WHATSAPP_API_URL's default per provider: Graph for Meta direct, 360dialog's Cloud API host. */
export const DEFAULT_API_URLS: Record<Config['whatsapp']['provider'], string> = {
  cloud: 'https://graph.facebook.com',
  '360dialog': 'https://waba-v2.360dialog.io',
  twilio: 'https://api.twilio.com',
};

const httpUrl = Joi.string().uri({ scheme: ['http', 'https'] });
const optionalText = Joi.string().min(1);
const perMinute = Joi.number()
  .integer()
  .min(0)
  .max(1_000_000)
  .messages({ 'number.base': '{{#label}} must be a number of requests a minute (0 for no limit)' });

const schema = Joi.object({
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['mysql', 'mariadb'] })
    .custom((value: string, helpers) => {
      const name = new URL(value).pathname.replace(/^\//, '');
      return /^[A-Za-z0-9_]{1,64}$/.test(name) ? value : helpers.error('database.name');
    })
    .default('mysql://root@127.0.0.1:3306/cartback')
    .messages({
      'string.uriCustomScheme': '{{#label}} must be a mysql:// URL, such as mysql://user:password@host:3306/cartback',
      'database.name': '{{#label}} must name a database of letters, digits and underscores after the host',
    }),
  PORT: Joi.number().port().default(8787).messages({ 'number.base': '{{#label}} must be a port number' }),
  PUBLIC_BASE_URL: httpUrl,
  CARTBACK_SECRET: Joi.string()
    .min(32)
    .messages({ 'string.min': '{{#label}} must be at least 32 characters (or unset it to have one generated)' }),
  STORE_URL: httpUrl,
  STORE_API_URL: httpUrl,
  STORE_TIMEZONE: Joi.string()
    .custom((v: string, h) => (isTimeZone(v) ? v : h.error('tz.iana')))
    .default('UTC')
    .messages({ 'tz.iana': '{{#label}} must be an IANA time zone, such as Asia/Kolkata' }),
  STORE_CURRENCY: Joi.string()
    .custom((v: string, h) => (CURRENCIES.has(v) ? v : h.error('currency')))
    .default('USD')
    .messages({ currency: '{{#label}} must be an ISO 4217 currency code, such as INR' }),
  STORE_LOCALE: Joi.string()
    .custom((v: string, h) => (isLocale(v) ? v : h.error('locale')))
    .default('en')
    .messages({ locale: '{{#label}} must be a locale, such as en or en-IN' }),
  WHATSAPP_PROVIDER: Joi.string().valid('cloud', '360dialog', 'twilio').default('cloud'),
  WHATSAPP_API_URL: httpUrl,
  WHATSAPP_API_VERSION: Joi.string()
    .pattern(/^v\d+\.\d+$/)
    .default('v24.0')
    .messages({ 'string.pattern.base': '{{#label}} must look like v24.0' }),
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_WABA_ID: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_WEBHOOK_SECRET: Joi.string().min(16).messages({ 'string.min': '{{#label}} must be at least 16 characters' }),
  WOOCOMMERCE_URL: httpUrl,
  WOOCOMMERCE_CONSUMER_KEY: optionalText,
  WOOCOMMERCE_CONSUMER_SECRET: optionalText,
  CARTBACK_ENCRYPTION_KEY: Joi.string()
    .custom((v: string, h) => (parseEncryptionKey(v) ? v : h.error('key.bytes')))
    .messages({ 'key.bytes': '{{#label}} must be 32 bytes, written as 64 hex digits or in base64' }),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  ENGINE_TICK_SECONDS: Joi.number().integer().min(1).max(59).default(5),
  WINBACK_HOUR: Joi.number().integer().min(0).max(23).default(10),
  LINK_RATE_LIMIT: perMinute.default(60),
  RESTORE_RATE_LIMIT: perMinute.default(600),
  TRUST_PROXY: Joi.string()
    .custom((v: string, h) => (parseTrustProxy(v) === undefined ? h.error('trust.proxy') : v))
    .messages({
      'trust.proxy':
        '{{#label}} must be the number of proxies in front of the sidecar (1-10), or their addresses or subnets, comma separated (such as 10.0.0.0/8, loopback)',
    }),
  RECONCILE_WINDOW: Joi.string()
    .custom((v: string, h) => (reconcileWindowMs(v) === undefined ? h.error('duration.window') : v))
    .default(DEFAULT_RECONCILE_WINDOW)
    .messages({
      'duration.window': '{{#label}} must be an ISO 8601 duration from PT1M to P30D, such as PT36H',
    }),
});

/**
 * Reads and validates the configuration. Pure: the caller passes the environment. Empty
 * variables count as unset. Throws ConfigError naming the first variable at fault; its message
 * never repeats the value (it may be a secret).
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const known = Object.keys(schema.describe().keys as object);
  const input: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const { error, value: v } = schema.validate(input, {
    abortEarly: true,
    errors: { wrap: { label: false } },
  });
  if (error) {
    const detail = error.details[0];
    const variable = String(detail?.path[0] ?? 'configuration');
    throw new ConfigError(variable, detail?.message ?? error.message);
  }
  const wooVariables = ['WOOCOMMERCE_URL', 'WOOCOMMERCE_CONSUMER_KEY', 'WOOCOMMERCE_CONSUMER_SECRET'] as const;
  const wooMissing = wooVariables.filter((name) => v[name] === undefined);
  if (wooMissing.length > 0 && wooMissing.length < wooVariables.length) {
    const first = wooMissing[0] as string;
    throw new ConfigError(first, `${first} must be set too: set all of ${wooVariables.join(', ')}, or none`);
  }
  const port = v.PORT as number;
  return {
    databaseUrl: v.DATABASE_URL,
    port,
    publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    secret: v.CARTBACK_SECRET,
    storeUrl: v.STORE_URL?.replace(/\/+$/, ''),
    storeApiUrl: v.STORE_API_URL?.replace(/\/+$/, ''),
    store: { timezone: v.STORE_TIMEZONE, currency: v.STORE_CURRENCY, locale: v.STORE_LOCALE },
    whatsapp: {
      provider: v.WHATSAPP_PROVIDER,
      apiUrl: (v.WHATSAPP_API_URL ?? DEFAULT_API_URLS[v.WHATSAPP_PROVIDER as Config['whatsapp']['provider']]).replace(
        /\/+$/,
        '',
      ),
      apiVersion: v.WHATSAPP_API_VERSION,
      accessToken: v.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: v.WHATSAPP_PHONE_NUMBER_ID,
      wabaId: v.WHATSAPP_WABA_ID,
      appSecret: v.WHATSAPP_APP_SECRET,
      verifyToken: v.WHATSAPP_VERIFY_TOKEN,
      webhookSecret: v.WHATSAPP_WEBHOOK_SECRET,
    },
    woocommerce:
      wooMissing.length === 0
        ? {
            url: (v.WOOCOMMERCE_URL as string).replace(/\/+$/, ''),
            consumerKey: v.WOOCOMMERCE_CONSUMER_KEY,
            consumerSecret: v.WOOCOMMERCE_CONSUMER_SECRET,
          }
        : undefined,
    encryptionKey: v.CARTBACK_ENCRYPTION_KEY ? parseEncryptionKey(v.CARTBACK_ENCRYPTION_KEY as string) : undefined,
    logLevel: v.LOG_LEVEL,
    engineTickSeconds: v.ENGINE_TICK_SECONDS,
    winbackHour: v.WINBACK_HOUR,
    rateLimits: { linkPerMinute: v.LINK_RATE_LIMIT, restorePerMinute: v.RESTORE_RATE_LIMIT },
    trustProxy: parseTrustProxy(v.TRUST_PROXY) ?? null,
    reconcileWindowMs: reconcileWindowMs(v.RECONCILE_WINDOW as string) as number,
  };
}
