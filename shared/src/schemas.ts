import Joi from 'joi';
import { isE164 } from './phone';
import {
  CONSENT_SCOPES,
  CONSENT_SOURCES,
  EVENT_TYPES,
  MAX_BATCH_EVENTS,
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

const id = Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER);
const key = Joi.string().min(1).max(64);
const url = Joi.string()
  .uri({ scheme: ['http', 'https'] })
  .max(2048);
const email = Joi.string().email({ tlds: false }).max(254);
const utcTimestamp = Joi.string()
  .isoDate()
  .pattern(/(Z|[+-]00:?00)$/, 'UTC')
  .messages({ 'string.pattern.name': '{{#label}} must be an ISO 8601 time in UTC, such as 2026-11-21T10:15:00Z' });

const totals = Joi.object({
  subtotal: money.required(),
  tax: money.required(),
  shipping: money.required(),
  discount: money.required(),
  total: money.required(),
});

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
  text_version: Joi.number().integer().min(1).required(),
});

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
    first_name: Joi.string().max(100).allow(''),
    country: Joi.string().pattern(/^[A-Z]{2}$/, 'ISO 3166 alpha-2'),
  }).or('phone', 'email'),
  'consent.granted': consent,
  'consent.withdrawn': consent,
  'product.viewed': Joi.object({
    session_id: key.required(),
    customer_id: id,
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
};

export const eventSchema = Joi.object({
  id: Joi.string()
    .guid({ version: ['uuidv1', 'uuidv4', 'uuidv5', 'uuidv6', 'uuidv7', 'uuidv8'] })
    .required(),
  type: Joi.string()
    .valid(...EVENT_TYPES)
    .required(),
  occurred_at: utcTimestamp.required(),
  data: Joi.when('type', {
    switch: EVENT_TYPES.map((type) => ({ is: type, then: eventDataSchemas[type].required() })),
  }),
});

export const eventBatchSchema = Joi.object({
  events: Joi.array().items(eventSchema).min(1).max(MAX_BATCH_EVENTS).required(),
});

const OPTIONS: Joi.ValidationOptions = {
  abortEarly: true,
  convert: false,
  allowUnknown: true,
  errors: { wrap: { label: false } },
};

export type Validation<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

/** `events[3].data.lines[0].quantity` from joi's path array. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function run<T>(schema: Joi.Schema, input: unknown): Validation<T> {
  const { error, value } = schema.validate(input, OPTIONS);
  if (!error) return { ok: true, value: value as T };
  const detail = error.details[0];
  const path = formatPath(detail?.path ?? []);
  return { ok: false, path, message: detail?.message ?? error.message };
}

/** Validates a whole `POST /v1/events` body; on failure names the first field at fault. */
export function validateEventBatch(input: unknown): Validation<EventBatch> {
  return run<EventBatch>(eventBatchSchema, input);
}

/** Validates one event (used by tools and the plugin's fixture tests). */
export function validateEvent(input: unknown): Validation<StoreEvent> {
  return run<StoreEvent>(eventSchema, input);
}
