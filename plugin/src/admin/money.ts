/**
 * Money as the admin types it (major units: 100, 12.50) and as the sidecar counts it (integer
 * minor units of the store's currency: 10000 paise). Decimals come from the store's currency
 * (`GET /settings` → `currency.decimals`, the plugin's Money::exponent: INR 2, JPY 0, KWD 3).
 */

/** Minor units from what was typed, or NaN when it is not an amount with at most `decimals` digits after the point. */
export function toMinor(text: string, decimals: number): number {
  const trimmed = text.trim().replace(',', '.');
  const pattern = decimals > 0 ? new RegExp(`^\\d+(?:\\.\\d{0,${decimals}})?$`) : /^\d+$/;
  if (!pattern.test(trimmed)) return Number.NaN;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

/** What to show in an amount field for minor units (10000 → "100", 1250 → "12.50"); '' for none. */
export function majorText(minor: number | null | undefined, decimals: number): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return '';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  if (decimals === 0) return `${sign}${abs}`;
  const whole = Math.floor(abs / 10 ** decimals);
  const fraction = abs % 10 ** decimals;
  return fraction === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(decimals, '0')}`;
}

/** Minor units for reading (₹5,000.00), in the admin's locale. */
export function formatMoney(minor: number, currency: string, decimals: number): string {
  const locale = typeof document !== 'undefined' ? document.documentElement.lang || undefined : undefined;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(minor / 10 ** decimals);
  } catch {
    return `${majorText(minor, decimals)} ${currency}`;
  }
}
