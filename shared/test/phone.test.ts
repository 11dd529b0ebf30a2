import { isE164, maskPhone, normalizePhone } from '../src/phone';

describe('phone numbers', () => {
  it.each([
    ['+91 98123 45678', undefined, '+919812345678'],
    ['098123 45678', 'IN', '+919812345678'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+34 612 34 56 78', undefined, '+34612345678'],
    ['+55 11 91234-5678', undefined, '+5511912345678'],
  ])('normalises %s (%s) to %s', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it.each([['12345'], ['not a phone'], ['+91 12'], ['098123 45678']])('rejects %s without a country', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('accepts only numbers already written in E.164', () => {
    expect(isE164('+919812345678')).toBe(true);
    expect(isE164('+91 98123 45678')).toBe(false);
    expect(isE164('919812345678')).toBe(false);
    expect(isE164('+9198123')).toBe(false);
  });

  it('masks all but the country code and the last three digits', () => {
    expect(maskPhone('+919812345678')).toBe('+91*******678');
    expect(maskPhone('+14155552671')).toBe('+1*******671');
    expect(maskPhone('+919812345678')).not.toContain('9812345');
  });
});
