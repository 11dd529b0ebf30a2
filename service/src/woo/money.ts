/**
 * WooCommerce's REST API writes money as decimal strings ("1299.5", "10.00", "" when a product
 * has no price). These helpers turn them into integer minor units and back by string arithmetic
 * only: a float would make "0.29" 28 paise or "1299.99" 129998.99999….
 */

/** A value that is not a plain non-negative decimal number ("abc", "1,299.00", "-5", "1e3", ""). */
export class InvalidDecimalError extends Error {
  constructor(readonly value: unknown) {
    super(`Not a decimal amount: ${JSON.stringify(String(value)).slice(0, 40)}`);
    this.name = 'InvalidDecimalError';
  }
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) throw new RangeError(`Bad number of digits: ${digits}`);
}

/**
 * A decimal amount in minor units of a currency with `digits` fraction digits: ("1299.5", 2) →
 * 129950, ("1299", 2) → 129900, ("1299.50", 0) → 1300. Digits beyond the currency's are rounded
 * half up (a store set to show 3 decimals in rupees charges the rounded amount); trailing zeros
 * are exact. A number is read through its shortest decimal form (12.5 → "12.5"), never multiplied.
 * Throws InvalidDecimalError for anything else: signs, exponents, thousands separators, spaces
 * inside, empty strings, and amounts beyond Number.MAX_SAFE_INTEGER minor units.
 */
export function decimalToMinor(value: string | number, digits: number): number {
  checkDigits(digits);
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value).trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new InvalidDecimalError(value);
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  let minor = BigInt(whole + kept);
  // Half up: the first dropped digit decides.
  if (fraction.length > digits && (fraction[digits] as string) >= '5') minor += 1n;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidDecimalError(value);
  return Number(minor);
}

/** Minor units as WooCommerce's decimal string: (129950, 2) → "1299.50", (500, 0) → "500". */
export function minorToDecimal(minor: number, digits: number): string {
  checkDigits(digits);
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`Not an amount in minor units: ${minor}`);
  if (digits === 0) return String(minor);
  const padded = String(minor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
