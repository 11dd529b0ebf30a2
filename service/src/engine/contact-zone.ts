import { getCountry, getTimezone } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { IANAZone } from 'luxon';

/**
 * The shopper's own time zone, in which quiet hours are read (DESIGN.md: "in the contact's own
 * time zone when known, else the store's"). Pure: a function of what is known about the contact
 * and the zone data shipped with `countries-and-timezones` (IANA tz database) and
 * `libphonenumber-js`.
 *
 * THE RULE, first match wins:
 *
 *  1. the contact's own zone, when one was recorded for it (a valid IANA name);
 *  2. the phone's country (libphonenumber-js, from the E.164 number) when every IANA zone of that
 *     country keeps one clock (the same standard and daylight-saving offsets): India's one zone,
 *     Asia/Kolkata; Germany's Europe/Berlin and Europe/Zurich (Büsingen) alike. Of such zones the
 *     one whose main country it is, else the first, is named;
 *  3. for a country with several clocks, its national zone from `NATIONAL_ZONES` when it has one:
 *     the zone whose clock nine in ten of its people or more keep. The library designates no
 *     primary zone of a country, so this short table does, with its reasons;
 *  4. otherwise none (null): the United States, Canada, Mexico, Russia, Australia, Indonesia… — the
 *     caller then reads quiet hours in the store's zone, as before.
 */

/**
 * Countries of several clocks whose people keep one of them, nine in ten or more: the zone that
 * names that clock. Each entry is a judgement, kept short and documented here:
 *
 * - BR: Brasília time (UTC−3; America/Sao_Paulo), legal time of the capital and of the South,
 *   Southeast, Northeast and most of the North — about 93 % of Brazilians;
 * - CN: China Standard Time (Asia/Shanghai), the one official time; Ürümqi time is unofficial;
 * - CL: continental Chile (America/Santiago); Magallanes and Easter Island are small;
 * - EC: mainland Ecuador (America/Guayaquil); the Galápagos are small;
 * - ES: peninsular Spain (Europe/Madrid); the Canaries are about 5 %;
 * - NZ: New Zealand time (Pacific/Auckland); the Chatham Islands are some 600 people;
 * - PT: mainland Portugal (Europe/Lisbon); Madeira and the Azores are about 5 %.
 */
export const NATIONAL_ZONES: Readonly<Record<string, string>> = {
  BR: 'America/Sao_Paulo',
  CN: 'Asia/Shanghai',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  NZ: 'Pacific/Auckland',
  PT: 'Europe/Lisbon',
};

/** The ISO 3166-1 country of an E.164 number, or null when it names none (or is no number). */
export function phoneCountry(phone: string): string | null {
  return parsePhoneNumberFromString(phone)?.country ?? null;
}

/** The country's IANA zones (not deprecated), as the tz database lists them; empty for an unknown code. */
export function countryZones(country: string): string[] {
  return getCountry(country.toUpperCase())?.timezones ?? [];
}

/** Rules 2 and 3 for a country: its one clock's zone, else its national zone, else null. */
export function countryTimeZone(country: string): string | null {
  const code = country.toUpperCase();
  const zones = countryZones(code)
    .map((name) => getTimezone(name))
    .filter((zone) => zone !== null);
  const first = zones[0];
  if (!first) return null;
  const oneClock = zones.every((z) => z.utcOffset === first.utcOffset && z.dstOffset === first.dstOffset);
  if (oneClock) return (zones.find((z) => z.countries[0] === code) ?? first).name;
  return NATIONAL_ZONES[code] ?? null;
}

/**
 * The contact's time zone by the rule above, or null when none can be told (quiet hours are then
 * read in the store's zone).
 *
 * @example contactTimeZone({ phone: '+919812345678' })   // 'Asia/Kolkata'
 * @example contactTimeZone({ phone: '+5511987654321' })  // 'America/Sao_Paulo'
 * @example contactTimeZone({ phone: '+12125550123' })    // null: the US keeps several clocks
 */
export function contactTimeZone(contact: { timeZone?: string | null; phone: string }): string | null {
  if (contact.timeZone && IANAZone.isValidZone(contact.timeZone)) return contact.timeZone;
  const country = phoneCountry(contact.phone);
  return country ? countryTimeZone(country) : null;
}
