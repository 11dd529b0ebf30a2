import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalises a phone number to E.164 ("+919812345678"), or returns null when it is not a valid
 * number. A number without a leading "+" needs the country it was typed in (ISO 3166 alpha-2).
 */
export function normalizePhone(input: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(input, {
    defaultCountry: defaultCountry?.toUpperCase() as CountryCode | undefined,
    extract: false,
  });
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** True when `value` is already a valid phone number written in E.164 form. */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value) && normalizePhone(value) === value;
}

/**
 * Masks a phone number for logs and screens: country code and last three digits stay,
 * the rest becomes asterisks ("+91*******678"). Never log a full number.
 */
export function maskPhone(value: string): string {
  const parsed = parsePhoneNumberFromString(value);
  const digits = value.replace(/\D/g, '');
  const cc = parsed?.countryCallingCode ?? '';
  const tail = digits.slice(-3);
  const hidden = Math.max(digits.length - cc.length - tail.length, 0);
  return `+${cc}${'*'.repeat(hidden)}${tail}`;
}
