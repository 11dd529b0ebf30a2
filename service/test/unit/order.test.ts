import { compareStamps, isNewer, newest } from '../../src/ingest/order';

const at = (iso: string, eventId = 'a') => ({ at: new Date(iso), eventId });

describe('newest wins', () => {
  it('orders facts by the time they occurred, not by when they arrived', () => {
    const older = at('2026-11-21T10:00:00.000Z', 'z');
    const newer = at('2026-11-21T10:00:00.001Z', 'a');
    expect(isNewer(newer, older)).toBe(true);
    expect(isNewer(older, newer)).toBe(false);
  });

  it('breaks a tie of the same millisecond by event id, the same way every time', () => {
    const a = at('2026-11-21T10:00:00Z', '0001');
    const b = at('2026-11-21T10:00:00Z', '0002');
    expect(compareStamps(a, b)).toBeLessThan(0);
    expect(compareStamps(b, a)).toBeGreaterThan(0);
    expect(isNewer(a, a)).toBe(false);
  });

  it('treats nothing stored as older than anything', () => {
    expect(isNewer(at('1970-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('picks the newest of many whatever their order', () => {
    const items = [at('2026-01-02T00:00:00Z', 'b'), at('2026-01-03T00:00:00Z', 'a'), at('2026-01-01T00:00:00Z', 'c')];
    expect(newest(items)?.eventId).toBe('a');
    expect(newest([...items].reverse())?.eventId).toBe('a');
    expect(newest([])).toBeUndefined();
  });
});
