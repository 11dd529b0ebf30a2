import Joi from 'joi';
import { eventTimeProblem } from './instant';
import { isE164 } from './phone';
import {
  BROWSER_LINK_VIAS,
  CONSENT_SCOPES,
  CONSENT_SOURCES,
  EVENT_TYPES,
  MAX_BATCH_EVENTS,
  MAX_LINE_CATEGORIES,
  NUDGE_CHANNELS,
  SUBJECT_KINDS,
  type EventBatch,
  type EventType,
  type StoreEvent,
} from './types';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const phone = Joi.string()
  .max(16)
  .custom((value: string, helpers) => (isE164(value) ? value : helpers.error('phone.e164')))
  .messages({ 'phone.e164': '{{#label}} must be a valid phone number in E.164 form, such as +919812345678' });

const currency = Joi.string()
  .custom((value: string, helpers) => (CURRENCIES.has(value) ? value : helpers.error('currency.iso4217')))
  .messages({ 'currency.iso4217': '{{#label}} must be an ISO 4217 currency code, such as USD or INR' });

const money = Joi.number()
  .integer()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .messages({ 'number.integer': '{{#label}} must be an integer amount in minor units (cents, paise)' });

/**
 * Every integer is bounded by the column that keeps it (service/migrations): ids, money and
 * quantities go in BIGINT UNSIGNED (bounded here by what JSON numbers hold exactly), a consent
 * text's version in INT UNSIGNED.
 */
const INT_UNSIGNED_MAX = 4_294_967_295;
const id = Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER);
const key = Joi.string().min(1).max(64);
const url = Joi.string()
  .uri({ scheme: ['http', 'https'] })
  .max(2048);
const email = Joi.string().email({ tlds: false }).max(254);
/**
 * A real instant in UTC (strict RFC 3339: `2026-11-21T10:15:00Z` or `…+00:00`, optionally with a
 * fraction; a date that exists) from 2000-01-01T00:00:00Z to a day after now. "Now" is the
 * validation's `context.nowMs` when given, else the clock.
 */
const utcTimestamp = Joi.string()
  .max(40)
  .pattern(/(Z|[+-]00:00)$/, 'UTC')
  .custom((value: string, helpers) => {
    const nowMs = (helpers.prefs.context as { nowMs?: number } | undefined)?.nowMs ?? Date.now();
    const problem = eventTimeProblem(value, nowMs);
    return problem ? helpers.error(`instant.${problem}`) : value;
  })
  .messages({
    'string.pattern.name': '{{#label}} must be an RFC 3339 time in UTC, such as 2026-11-21T10:15:00Z',
    'instant.format': '{{#label}} must be a real RFC 3339 time in UTC, such as 2026-11-21T10:15:00Z',
    'instant.range': '{{#label}} must be a time from 2000-01-01T00:00:00Z to a day from now',
  });

const totals = Joi.object({
  subtotal: money.required(),
  tax: money.required(),
  shipping: money.required(),
  discount: money.required(),
  total: money.required(),
  /** Orders: what has been refunded so far (every refund, partial or full). Absent: unknown. */
  refunded: money,
});

/** A product's category in a line: its term id and name. */
const lineCategory = Joi.object({
  id: id.required(),
  name: Joi.string().min(1).max(200).required(),
});

/**
 * The opaque reference a known browser carries (README, "The known-browser cookie"): random, per
 * contact, never the phone; 16 to 64 URL-safe characters.
 */
const contactRef = Joi.string()
  .pattern(/^[A-Za-z0-9_-]{16,64}$/, 'contact reference')
  .messages({ 'string.pattern.name': '{{#label}} must be a contact reference: 16 to 64 letters, digits, - or _' });

const line = Joi.object({
  product_id: id.required(),
  variation_id: id,
  sku: Joi.string().max(100).allow(''),
  name: Joi.string().min(1).max(500).required(),
  quantity: Joi.number().integer().min(1).max(1_000_000).required(),
  unit_price: money.required(),
  line_total: money.required(),
  image_url: url,
  url: url.required(),
  categories: Joi.array().items(lineCategory).max(MAX_LINE_CATEGORIES),
});
const lines = Joi.array().items(line).max(MAX_BATCH_EVENTS);

const order = Joi.object({
  order_id: id.required(),
  cart_key: key,
  customer_id: id,
  phone,
  email,
  status: Joi.string()
    .pattern(/^[a-z0-9_-]{1,32}$/)
    .required(),
  currency: currency.required(),
  totals: totals.required(),
  lines: lines.required(),
  coupons: Joi.array().items(Joi.string().min(1).max(100)).max(100).required(),
  payment_method: Joi.string().max(100),
  pay_url: url,
});

const consent = Joi.object({
  phone: phone.required(),
  email,
  scope: Joi.string()
    .valid(...CONSENT_SCOPES)
    .required(),
  source: Joi.string()
    .valid(...CONSENT_SOURCES)
    .required(),
  text: Joi.string().min(1).max(2000).required(),
  text_version: Joi.number().integer().min(1).max(INT_UNSIGNED_MAX).required(),
});

const version = Joi.string()
  .pattern(/^[0-9A-Za-z.+_-]{1,40}$/, 'version')
  .messages({ 'string.pattern.name': '{{#label}} must be a version such as 6.9.1 or 10.5.0-rc.1' });

const country = Joi.string().pattern(/^[A-Z]{2}$/, 'ISO 3166 alpha-2');
const text = (max: number) => Joi.string().max(max).allow('');

/** A billing or shipping address as the shopper typed it, in WooCommerce's field names; phone in E.164. */
const address = Joi.object({
  first_name: text(100),
  last_name: text(100),
  company: text(200),
  address_1: text(200),
  address_2: text(200),
  city: text(100),
  state: text(100),
  postcode: text(20),
  country,
  phone,
});

/** IANA zone names (`Asia/Kolkata`, `UTC`) or a fixed offset (`+05:30`), as wp_timezone_string() gives them. */
const timeZone = Joi.string()
  .max(64)
  .custom((value: string, helpers) => (isTimeZoneOrOffset(value) ? value : helpers.error('timezone.iana')))
  .messages({
    'timezone.iana': '{{#label}} must be an IANA time zone such as Asia/Kolkata, or an offset such as +05:30',
  });

function isTimeZoneOrOffset(value: string): boolean {
  if (/^[+-](0\d|1[0-4]):[0-5]\d$/.test(value)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The `data` schema of each event type. */
export const eventDataSchemas: Record<EventType, Joi.ObjectSchema> = {
  'cart.updated': Joi.object({
    cart_key: key.required(),
    customer_id: id,
    session_id: key.required(),
    currency: currency.required(),
    totals: totals.required(),
    lines: lines.required(),
    locale: Joi.string()
      .pattern(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, 'locale')
      .max(35)
      .required(),
  }),
  'cart.emptied': Joi.object({ cart_key: key.required() }),
  'checkout.contact_captured': Joi.object({
    cart_key: key.required(),
    phone,
    email,
    first_name: text(100),
    last_name: text(100),
    country,
    billing: address,
    shipping: address,
  }).or('phone', 'email'),
  'consent.granted': consent,
  'consent.withdrawn': consent,
  'product.viewed': Joi.object({
    session_id: key.required(),
    customer_id: id,
    contact_ref: contactRef,
    product: Joi.object({
      id: id.required(),
      name: Joi.string().min(1).max(500).required(),
      price: money.required(),
      currency: currency.required(),
      image_url: url,
      url: url.required(),
      in_stock: Joi.boolean().required(),
      categories: Joi.array().items(Joi.string().max(200)).max(50).required(),
    }).required(),
  }),
  'browser.linked': Joi.object({
    contact_ref: contactRef.required(),
    phone: phone.required(),
    email,
    via: Joi.string()
      .valid(...BROWSER_LINK_VIAS)
      .required(),
  }),
  'customer.identified': Joi.object({
    session_id: key.required(),
    customer_id: id.required(),
    phone,
    email,
  }),
  'order.created': order,
  'order.paid': order,
  'order.payment_failed': order,
  'order.status_changed': order,
  'order.refunded': order,
  'channel.sent': Joi.object({
    channel: Joi.string()
      .valid(...NUDGE_CHANNELS)
      .required(),
    phone,
    email,
    subject: Joi.object({
      kind: Joi.string()
        .valid(...SUBJECT_KINDS)
        .required(),
      id: Joi.alternatives(Joi.string().min(1).max(64), id).required(),
    }).required(),
  }).or('phone', 'email'),
  'store.updated': Joi.object({
    name: Joi.string().min(1).max(200).required(),
    url: url.required(),
    api_url: url.required(),
    time_zone: timeZone.required(),
    currency: currency.required(),
    locale: Joi.string()
      .pattern(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, 'locale')
      .max(35)
      .required(),
    placeholder_image_url: url,
    versions: Joi.object({
      wordpress: version.required(),
      woocommerce: version,
      plugin: version.required(),
      php: version,
    }).required(),
    wc_pending_order_email: Joi.boolean(),
    wc_failed_order_email: Joi.boolean(),
  }),
};

const OPTIONS: Joi.ValidationOptions = {
  abortEarly: true,
  convert: false,
  allowUnknown: true,
  errors: { wrap: { label: false } },
};

/** id, type and time; `data` is checked against its type's schema separately. */
const envelopeSchema = Joi.object({
  id: Joi.string()
    .guid({ version: ['uuidv1', 'uuidv4', 'uuidv5', 'uuidv6', 'uuidv7', 'uuidv8'] })
    .required(),
  type: Joi.string()
    .valid(...EVENT_TYPES)
    .required(),
  occurred_at: utcTimestamp.required(),
  data: Joi.object().required(),
}).prefs(OPTIONS);

const dataSchemas = new Map(EVENT_TYPES.map((type) => [type, eventDataSchemas[type].prefs(OPTIONS)]));

/** One event, for documentation and tools: the envelope with its type's data schema. */
export const eventSchema = envelopeSchema.keys({
  data: Joi.when('type', {
    switch: EVENT_TYPES.map((type) => ({ is: type, then: eventDataSchemas[type].required() })),
  }),
});

export const eventBatchSchema = Joi.object({
  events: Joi.array().items(eventSchema).min(1).max(MAX_BATCH_EVENTS).required(),
});

export type Validation<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

/** `events[3].data.lines[0].quantity` from joi's path array. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function failure(
  error: Joi.ValidationError,
  prefix: Array<string | number>,
): { ok: false; path: string; message: string } {
  const detail = error.details[0];
  const path = formatPath([...prefix, ...(detail?.path ?? [])]);
  // joi names the field by its path within what was validated (or "value" for the whole):
  // name it by its full path in the body instead.
  const label = detail?.context?.label ?? 'value';
  const message = (detail?.message ?? error.message).replace(label, path || 'body');
  return { ok: false, path, message };
}

/**
 * Validates one event at `prefix` (its place in the batch): the envelope first, then `data`
 * against the schema of its type (a map lookup, which is much cheaper than joi's `when`).
 */
function checkEvent(input: unknown, prefix: Array<string | number>, nowMs?: number): Validation<StoreEvent> {
  const envelope = envelopeSchema.validate(input, nowMs === undefined ? {} : { context: { nowMs } });
  if (envelope.error) return failure(envelope.error, prefix);
  const event = input as StoreEvent;
  const data = (dataSchemas.get(event.type) as Joi.ObjectSchema).validate(event.data);
  if (data.error) return failure(data.error, [...prefix, 'data']);
  return { ok: true, value: event };
}

/**
 * Validates a whole `POST /v1/events` body; on failure names the first field at fault. `nowMs`
 * (default: the clock) bounds how far ahead an event's time may be.
 */
export function validateEventBatch(input: unknown, nowMs?: number): Validation<EventBatch> {
  const events = (input as { events?: unknown } | null)?.events;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, path: '', message: 'The body must be an object: {"events": [ … ]}' };
  }
  if (!Array.isArray(events)) return { ok: false, path: 'events', message: 'events must be an array of events' };
  if (events.length === 0) return { ok: false, path: 'events', message: 'events must contain at least 1 event' };
  if (events.length > MAX_BATCH_EVENTS) {
    return { ok: false, path: 'events', message: `events must contain at most ${MAX_BATCH_EVENTS} events` };
  }
  for (let i = 0; i < events.length; i++) {
    const result = checkEvent(events[i], ['events', i], nowMs);
    if (!result.ok) return result;
  }
  return { ok: true, value: input as EventBatch };
}

/** Validates one event (used by tools and the plugin's fixture tests). */
export function validateEvent(input: unknown, nowMs?: number): Validation<StoreEvent> {
  return checkEvent(input, [], nowMs);
}
