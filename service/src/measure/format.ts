/** Plain-words figures for the dashboard: Intl.NumberFormat only, never string arithmetic. */

/** The number of minor units in a major one for `currency` (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as money in `currency` (e.g. 123456 USD → "$1,234.56"), optionally with a sign. */
export function formatMoney(minor: number, currency: string, locale: string, signed = false): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(minor / 10 ** digits);
}

/** A difference of two rates (fractions) in percentage points, one decimal, signed: 0.031 → "+3.1". */
export function formatPoints(fraction: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(fraction * 100);
}

/** A whole count: 12345 → "12,345". */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** Falls back to `en` for a locale Intl does not know (a store may report `en_US` or junk). */
export function safeLocale(locale: string | null | undefined): string {
  const tag = (locale ?? 'en').replace('_', '-');
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0 ? tag : 'en';
  } catch {
    return 'en';
  }
}
