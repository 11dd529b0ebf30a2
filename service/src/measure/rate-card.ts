import { phoneCountry } from '../engine/contact-zone';

/**
 * What WhatsApp messages cost (handbook reference/whatsapp.md §3, §6): since 2025-07-01 Meta
 * charges per delivered template message, by the recipient's country (its calling code) and the
 * template's category. The rate card holds per-country rates in USD, Meta's billing currency for
 * most businesses; the admin edits it (`PUT /v1/admin/rate-card`) when Meta changes its rates
 * (quarterly: January, April, July, October) or their provider bills differently.
 *
 * Rates are fractions of a cent ($0.0129), so they are kept as integer **micros** (millionths of
 * a dollar: 12900); a sum of costs is rounded to minor units (cents) once, at the end.
 *
 * Message cost is never silently converted into the store's currency: the dashboard shows it in
 * USD next to revenue in the store's currency, and nets them only when the admin has set
 * `store_currency_per_usd` (or the store's currency is USD). See measure/report.ts.
 */

export const RATE_CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
export type RateCategory = (typeof RATE_CATEGORIES)[number];
export type Rates = Record<RateCategory, number>;

export interface RateCard {
  /** The card's currency: USD. */
  currency: 'USD';
  /** When the rates took effect (ISO date), as the admin or the defaults say. */
  effective: string;
  /** Per ISO 3166-1 alpha-2 country, micros per delivered message; `default` for all others. */
  rates: Record<string, Rates>;
  /** Units of the store's currency per US dollar, set by the admin; null: no conversion. */
  store_currency_per_usd: number | null;
}

const r = (marketing: number, utility: number, authentication: number): Rates => ({
  marketing,
  utility,
  authentication,
  service: 0,
});

/**
 * Default rates, USD per delivered message ×10⁶. Taken from Meta's USD rate card as reproduced by
 * WhatsApp Business Solution Providers in 2026 (help.eazybe.com/pt/waba/pricing, "International
 * Pricing (USD)", read 2026-12-02; Meta's own page: developers.facebook.com/documentation/
 * business-messaging/whatsapp/pricing, "Updated: Jul 1, 2026"). Service (free-form replies in the
 * 24 h window) is free; a store whose provider bills it from 2026-10-01 sets it. `default` is the
 * "Rest of world" figure. Check against Meta's current card before relying on them.
 */
export const DEFAULT_RATE_CARD: RateCard = {
  currency: 'USD',
  effective: '2026-07-01',
  rates: {
    IN: r(12900, 1700, 1700),
    US: r(27500, 4400, 4400),
    GB: r(58200, 24200, 14000),
    BR: r(68800, 8800, 4800),
    DE: r(150200, 60500, 60500),
    ID: r(45200, 22000, 22000),
    MX: r(48000, 11000, 7000),
    NG: r(56800, 7400, 7400),
    ZA: r(41700, 8400, 8400),
    AE: r(42200, 17300, 17300),
    SA: r(50100, 12700, 12700),
    TR: r(12000, 5800, 4000),
    EG: r(70800, 5700, 5700),
    PK: r(52000, 5900, 5900),
    default: r(60400, 7700, 7700),
  },
  store_currency_per_usd: null,
};

/** Meta's `pricing` of a status webhook, as stored on the message (migration 0017). */
export interface WebhookPricing {
  billable: boolean | null;
  /** Meta's `pricing.category`: marketing, utility, authentication, authentication_international, service, marketing_lite, … */
  category: string | null;
  /** Meta's `pricing.type`: regular, free_customer_service, free_entry_point. */
  type: string | null;
}

/** Meta's categories that bill at one of the card's rates. */
function rateCategory(category: string | null | undefined): RateCategory | null {
  switch (category?.toLowerCase()) {
    case 'marketing':
    case 'marketing_lite':
      return 'marketing';
    case 'utility':
      return 'utility';
    case 'authentication':
    case 'authentication_international':
      return 'authentication';
    case 'service':
      return 'service';
    default:
      return null;
  }
}

/** The card's rates for a country (ISO alpha-2), else its `default`. */
export function ratesFor(card: RateCard, country: string | null): Rates {
  return (country ? card.rates[country] : undefined) ?? card.rates.default ?? r(0, 0, 0);
}

/**
 * One message's cost in micros. Meta charges a template message when it is delivered, so one that
 * never was (failed, sent only, held out, skipped) costs nothing. When its status webhook carried
 * `pricing`, that decides: `billable: false` or a `free_…` type is free, and its `category` (the
 * one Meta billed, which may differ from the template's) picks the rate. Otherwise the template's
 * own category at the card's rate. The country is the recipient's, from the phone.
 */
export function messageCostMicros(
  card: RateCard,
  message: { delivered: boolean; category: string; country: string | null; pricing: WebhookPricing | null },
): number {
  if (!message.delivered) return 0;
  const pricing = message.pricing;
  if (pricing && pricing.billable !== null) {
    if (!pricing.billable || pricing.type?.startsWith('free')) return 0;
    const category = rateCategory(pricing.category) ?? rateCategory(message.category);
    return category ? ratesFor(card, message.country)[category] : 0;
  }
  const category = rateCategory(message.category);
  return category ? ratesFor(card, message.country)[category] : 0;
}

/** The country of an E.164 phone (libphonenumber-js), or null. */
export function recipientCountry(phone: string): string | null {
  return phoneCountry(phone);
}

/** Micros → minor units (cents) of the card's currency, rounded half up. */
export function microsToMinor(micros: number): number {
  return Math.round(micros / 10_000);
}

export type RateCardCheck = { ok: true; value: RateCard } | { ok: false; message: string; path: string };

const MAX_MICROS = 10_000_000; // $10 a message: far above any of Meta's rates

/** Validates a rate card sent by the admin: every rate a whole number of micros, 0–$10. */
export function validateRateCard(input: unknown): RateCardCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, message: 'The rate card must be an object', path: '' };
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!['currency', 'effective', 'rates', 'store_currency_per_usd'].includes(key)) {
      return { ok: false, message: `Unknown field ${key}`, path: key };
    }
  }
  if (body.currency !== 'USD') return { ok: false, message: 'currency must be "USD"', path: 'currency' };
  if (typeof body.effective !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.effective)) {
    return { ok: false, message: 'effective must be a date, YYYY-MM-DD', path: 'effective' };
  }
  const conversion = body.store_currency_per_usd ?? null;
  if (
    conversion !== null &&
    (typeof conversion !== 'number' || !Number.isFinite(conversion) || conversion <= 0 || conversion > 1e6)
  ) {
    return {
      ok: false,
      message: 'store_currency_per_usd must be a positive number or null',
      path: 'store_currency_per_usd',
    };
  }
  if (typeof body.rates !== 'object' || body.rates === null || Array.isArray(body.rates)) {
    return { ok: false, message: 'rates must be an object of countries', path: 'rates' };
  }
  const rates: Record<string, Rates> = {};
  const entries = Object.entries(body.rates as Record<string, unknown>);
  if (!entries.some(([country]) => country === 'default')) {
    return { ok: false, message: 'rates needs a default for other countries', path: 'rates.default' };
  }
  if (entries.length > 300) return { ok: false, message: 'rates has more than 300 countries', path: 'rates' };
  for (const [country, value] of entries) {
    const path = `rates.${country}`;
    if (country !== 'default' && !/^[A-Z]{2}$/.test(country)) {
      return { ok: false, message: `${country} is not an ISO 3166-1 alpha-2 country code`, path };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, message: `${path} must be an object of rates`, path };
    }
    const row = value as Record<string, unknown>;
    for (const key of Object.keys(row)) {
      if (!(RATE_CATEGORIES as readonly string[]).includes(key))
        return { ok: false, message: `Unknown category ${key}`, path: `${path}.${key}` };
    }
    const out = {} as Rates;
    for (const category of RATE_CATEGORIES) {
      const micros = row[category] ?? 0;
      if (typeof micros !== 'number' || !Number.isInteger(micros) || micros < 0 || micros > MAX_MICROS) {
        return {
          ok: false,
          message: `${path}.${category} must be a whole number of micros from 0 to ${MAX_MICROS}`,
          path: `${path}.${category}`,
        };
      }
      out[category] = micros;
    }
    rates[country] = out;
  }
  return {
    ok: true,
    value: { currency: 'USD', effective: body.effective, rates, store_currency_per_usd: conversion as number | null },
  };
}
