import { eventTimeProblem, parseInstant } from '../src/instant';

describe('parseInstant: strict RFC 3339', () => {
  it.each([
    ['2026-11-21T10:15:00Z', Date.UTC(2026, 10, 21, 10, 15)],
    ['2026-11-21T10:15:00.123Z', Date.UTC(2026, 10, 21, 10, 15, 0, 123)],
    ['2026-11-21T10:15:00.123456789Z', Date.UTC(2026, 10, 21, 10, 15, 0, 123)],
    ['2026-11-21T10:15:00+00:00', Date.UTC(2026, 10, 21, 10, 15)],
    ['2026-11-21T15:45:00+05:30', Date.UTC(2026, 10, 21, 10, 15)],
    ['2026-11-21T05:15:00-05:00', Date.UTC(2026, 10, 21, 10, 15)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0999-01-01T00:00:00Z', Date.UTC(999, 0, 1)],
    ['0050-01-01T00:00:00Z', -60589296000000],
  ])('reads %s', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21T10:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2026-11-21T10:15:00',
    '2026-11-21 10:15:00Z',
    '2026-11-21T10:15Z',
    '2026-11-21T10:15:00+0000',
    '2026-11-21T10:15:00+24:00',
    '2026-11-21T10:15:00.Z',
    '2026-11-21',
    '',
  ])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('eventTimeProblem: a sane window', () => {
  const now = Date.UTC(2026, 11, 2, 1, 30);
  it('takes 2000-01-01 up to a day after now', () => {
    expect(eventTimeProblem('2000-01-01T00:00:00Z', now)).toBeNull();
    expect(eventTimeProblem('2026-12-03T01:30:00Z', now)).toBeNull();
  });
  it('refuses earlier and later times, and what is no time at all', () => {
    expect(eventTimeProblem('1999-12-31T23:59:59.999Z', now)).toBe('range');
    expect(eventTimeProblem('0000-01-01T00:00:00Z', now)).toBe('range');
    expect(eventTimeProblem('2026-12-03T01:30:00.001Z', now)).toBe('range');
    expect(eventTimeProblem('2026-02-30T00:00:00Z', now)).toBe('format');
  });
});
