import { __ } from '@wordpress/i18n';

/**
 * Numbers, money and times as the Dashboard shows them: Intl in the admin's language (the page's
 * `lang`), money from integer minor units to the currency's own digits (JPY 0, USD 2, KWD 3), times
 * in the store's time zone (the sidecar's `time_zone`).
 */

export function locale(): string | undefined {
  return typeof document !== 'undefined' ? document.documentElement.lang || undefined : undefined;
}

/** How many digits the currency's minor unit has, as Intl knows it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units → "$1,234.50" (rounded to whole minor units first). */
export function money(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const major = Math.round(minor) / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

/** Minor units → a major-unit number, for the charts' axes. */
export function major(minor: number, currency: string): number {
  return Math.round(minor) / 10 ** currencyDigits(currency);
}

/** Minor units → "$1.2K", for chart ticks. */
export function moneyShort(majorAmount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(majorAmount);
  } catch {
    return String(majorAmount);
  }
}

export function count(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** A fraction → "2.5%"; "—" when unknown. */
export function percent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

/** A ratio → "3.2×"; "—" when unknown. */
export function ratio(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(value)}×`;
}

/** An ISO time → "2 Dec 2026, 17:20" in the store's time zone. */
export function when(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const at = new Date(iso);
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  }
}

/** A lane's name in words. */
export function laneName(lane: string): string {
  const names: Record<string, string> = {
    payment_recovery: __('Payment recovery', 'cartback'),
    abandoned_cart: __('Abandoned cart', 'cartback'),
    browse_abandonment: __('Browse abandonment', 'cartback'),
    winback: __('Win-back', 'cartback'),
  };
  return names[lane] ?? lane;
}
