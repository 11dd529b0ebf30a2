import { contactTimeZone, countryTimeZone, phoneCountry } from '../../../src/engine/contact-zone';
import { decideSend, type DecisionInput } from '../../../src/engine/decision';

describe('contactTimeZone', () => {
  it.each<[string, { timeZone?: string | null; phone: string }, string | null]>([
    ['an Indian number: India keeps one zone', { phone: '+919812345678' }, 'Asia/Kolkata'],
    ['a Brazilian number: Brasília time, the national zone', { phone: '+5511987654321' }, 'America/Sao_Paulo'],
    ['a Brazilian number from Manaus still gets the national zone', { phone: '+5592987654321' }, 'America/Sao_Paulo'],
    ['a US number: several clocks, none national', { phone: '+12125550123' }, null],
    ['a Canadian number: several clocks', { phone: '+14165550123' }, null],
    ['an Australian number: several clocks', { phone: '+61412345678' }, null],
    ['a German number: two zones, one clock', { phone: '+4915112345678' }, 'Europe/Berlin'],
    ['a UK number', { phone: '+447911123456' }, 'Europe/London'],
    ['a Spanish number: the peninsula', { phone: '+34612345678' }, 'Europe/Madrid'],
    ['not a number', { phone: 'hello' }, null],
    [
      'a zone recorded for the contact wins over its phone',
      { timeZone: 'America/Chicago', phone: '+919812345678' },
      'America/Chicago',
    ],
    [
      'a recorded zone that is no zone is ignored',
      { timeZone: 'Mars/Olympus', phone: '+919812345678' },
      'Asia/Kolkata',
    ],
  ])('%s → %s', (_what, contact, expected) => {
    expect(contactTimeZone(contact)).toBe(expected);
  });

  it('reads the country from the number', () => {
    expect(phoneCountry('+919812345678')).toBe('IN');
    expect(phoneCountry('+5511987654321')).toBe('BR');
    expect(phoneCountry('+12125550123')).toBe('US');
  });

  it('names no zone for a code that is no country', () => {
    expect(countryTimeZone('XX')).toBeNull();
  });
});

describe('quiet hours in the shopper’s own time, store in UTC (21:00–09:00)', () => {
  const base = (phone: string): DecisionInput => ({
    lane: {
      name: 'abandoned_cart',
      category: 'marketing',
      enabled: true,
      quietHours: { start: '21:00', end: '09:00' },
      capPerContact: { max: 2, windowMs: 86_400_000 },
      capPerLane: null,
    },
    allPaused: false,
    contact: { phoneValid: true, optedOut: false, consent: { marketing: true, utility: true }, handoffActive: false },
    subject: { converted: false, paymentPending: false, cartEmpty: false },
    superseded: false,
    cell: 'treatment',
    templateAvailable: true,
    providerMarketingLimited: false,
    recentCrossChannel: false,
    marketingSentInWindow: 0,
    laneSentInWindow: 0,
    storeTimeZone: 'UTC',
    contactTimeZone: contactTimeZone({ phone }),
    storeCheck: 'not_needed',
  });

  it.each<[string, string, string, string | null]>([
    // 17:00 UTC is 22:30 in Kolkata: deferred to 09:00 IST (03:30 UTC).
    ['an Indian number at 22:30 IST', '+919812345678', '2026-11-21T17:00:00Z', '2026-11-22T03:30:00.000Z'],
    // 00:30 UTC is 21:30 in São Paulo: deferred to 09:00 BRT (12:00 UTC).
    ['a Brazilian number at 21:30 BRT', '+5511987654321', '2026-11-22T00:30:00Z', '2026-11-22T12:00:00.000Z'],
    // 22:00 UTC is 19:00 in São Paulo: it goes, though the store's night has begun.
    ['a Brazilian number at 19:00 BRT', '+5511987654321', '2026-11-21T22:00:00Z', null],
    // A US number has no one zone: the store's (UTC) decides, 22:00 is quiet until 09:00 UTC.
    ['a US number at 22:00 UTC', '+12125550123', '2026-11-21T22:00:00Z', '2026-11-22T09:00:00.000Z'],
    ['a US number at 17:00 UTC', '+12125550123', '2026-11-21T17:00:00Z', null],
  ])('%s', (_what, phone, now, until) => {
    const decision = decideSend(base(phone), new Date(now));
    if (until === null) expect(decision).toEqual({ kind: 'send' });
    else expect(decision).toEqual({ kind: 'defer', until: new Date(until), reason: 'quiet_hours' });
  });
});
