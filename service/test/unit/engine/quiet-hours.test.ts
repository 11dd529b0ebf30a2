import { DateTime } from 'luxon';
import { isQuiet, quietUntil, type QuietWindow } from '../../../src/engine/quiet-hours';

const NIGHT: QuietWindow = { start: '21:00', end: '09:00' };

/** [what, now (UTC), zone, window, expected end of quiet hours (UTC) or null] */
type Row = [string, string, string, QuietWindow, string | null];

const until = (iso: string, zone: string, window: QuietWindow): string | null =>
  quietUntil(new Date(iso), zone, window)?.toISOString() ?? null;

describe('quietUntil', () => {
  describe.each<[string, Row[]]>([
    [
      'Asia/Kolkata (UTC+05:30, no DST)',
      [
        ['20:59:59.999 is not quiet', '2026-11-21T15:29:59.999Z', 'Asia/Kolkata', NIGHT, null],
        [
          'exactly 21:00 is quiet, until 09:00 tomorrow',
          '2026-11-21T15:30:00Z',
          'Asia/Kolkata',
          NIGHT,
          '2026-11-22T03:30:00.000Z',
        ],
        ['23:59 waits for the next morning', '2026-11-21T18:29:00Z', 'Asia/Kolkata', NIGHT, '2026-11-22T03:30:00.000Z'],
        [
          'midnight belongs to the same night',
          '2026-11-21T18:30:00Z',
          'Asia/Kolkata',
          NIGHT,
          '2026-11-22T03:30:00.000Z',
        ],
        ['01:30 waits for this morning', '2026-11-21T20:00:00Z', 'Asia/Kolkata', NIGHT, '2026-11-22T03:30:00.000Z'],
        ['08:59:59.999 is still quiet', '2026-11-22T03:29:59.999Z', 'Asia/Kolkata', NIGHT, '2026-11-22T03:30:00.000Z'],
        ['exactly 09:00 is not quiet', '2026-11-22T03:30:00Z', 'Asia/Kolkata', NIGHT, null],
        ['noon is not quiet', '2026-11-22T06:30:00Z', 'Asia/Kolkata', NIGHT, null],
      ],
    ],
    [
      'a fixed offset, as WordPress reports a store set to UTC+5:30',
      [
        ['13:25 is not quiet', '2026-11-21T07:55:00Z', '+05:30', NIGHT, null],
        ['22:00 waits for 09:00 tomorrow', '2026-11-21T16:30:00Z', '+05:30', NIGHT, '2026-11-22T03:30:00.000Z'],
        ['03:00 at −03:00 waits for 09:00', '2026-11-21T06:00:00Z', '-03:00', NIGHT, '2026-11-21T12:00:00.000Z'],
        ['+00:00 is UTC', '2026-11-21T22:00:00Z', '+00:00', NIGHT, '2026-11-22T09:00:00.000Z'],
      ],
    ],
    [
      'same-day window 13:00–15:00 (America/New_York)',
      [
        ['12:59 is not quiet', '2026-11-21T17:59:00Z', 'America/New_York', { start: '13:00', end: '15:00' }, null],
        [
          '13:00 is quiet until 15:00',
          '2026-11-21T18:00:00Z',
          'America/New_York',
          { start: '13:00', end: '15:00' },
          '2026-11-21T20:00:00.000Z',
        ],
        ['15:00 is not quiet', '2026-11-21T20:00:00Z', 'America/New_York', { start: '13:00', end: '15:00' }, null],
        ['22:00 is not quiet', '2026-11-22T03:00:00Z', 'America/New_York', { start: '13:00', end: '15:00' }, null],
      ],
    ],
    [
      'start == end means no quiet hours',
      [
        ['at that very time', '2026-11-21T03:30:00Z', 'Asia/Kolkata', { start: '09:00', end: '09:00' }, null],
        ['at night', '2026-11-21T20:00:00Z', 'Asia/Kolkata', { start: '00:00', end: '00:00' }, null],
      ],
    ],
    [
      'Europe/Berlin (DST 2026-03-29 and 2026-10-25)',
      [
        [
          'winter: 21:00 CET until 09:00 CET',
          '2026-01-15T20:00:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-01-16T08:00:00.000Z',
        ],
        ['summer: 20:59 CEST is not quiet', '2026-07-15T18:59:00Z', 'Europe/Berlin', NIGHT, null],
        [
          'summer: 21:00 CEST until 09:00 CEST',
          '2026-07-15T19:00:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-07-16T07:00:00.000Z',
        ],
        [
          'spring-forward night ends at 09:00 CEST',
          '2026-03-28T20:30:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-03-29T07:00:00.000Z',
        ],
        [
          'fall-back night ends at 09:00 CET',
          '2026-10-24T19:30:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-10-25T08:00:00.000Z',
        ],
        [
          '02:30 CEST, first pass of the repeated hour',
          '2026-10-25T00:30:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-10-25T08:00:00.000Z',
        ],
        [
          '02:30 CET, second pass of the repeated hour',
          '2026-10-25T01:30:00Z',
          'Europe/Berlin',
          NIGHT,
          '2026-10-25T08:00:00.000Z',
        ],
        [
          'an end of 02:30 that never happens: at the jump to 03:00 CEST',
          '2026-03-29T00:30:00Z',
          'Europe/Berlin',
          { start: '22:00', end: '02:30' },
          '2026-03-29T01:00:00.000Z',
        ],
      ],
    ],
    [
      'America/New_York (DST 2026-03-08 and 2026-11-01)',
      [
        [
          '22:00 EST the night before spring forward, until 09:00 EDT',
          '2026-03-08T03:00:00Z',
          'America/New_York',
          NIGHT,
          '2026-03-08T13:00:00.000Z',
        ],
        ['08:59 EDT is still quiet', '2026-03-08T12:59:00Z', 'America/New_York', NIGHT, '2026-03-08T13:00:00.000Z'],
        ['09:00 EDT is not quiet', '2026-03-08T13:00:00Z', 'America/New_York', NIGHT, null],
        ['09:30 EDT (08:30 by the old offset) is not quiet', '2026-03-08T13:30:00Z', 'America/New_York', NIGHT, null],
        [
          '22:00 EDT the night before fall back, until 09:00 EST',
          '2026-11-01T02:00:00Z',
          'America/New_York',
          NIGHT,
          '2026-11-01T14:00:00.000Z',
        ],
        [
          '08:30 EST after fall back is still quiet',
          '2026-11-01T13:30:00Z',
          'America/New_York',
          NIGHT,
          '2026-11-01T14:00:00.000Z',
        ],
        [
          'an end in the spring gap (02:30): at 03:00 EDT',
          '2026-03-08T06:45:00Z',
          'America/New_York',
          { start: '01:00', end: '02:30' },
          '2026-03-08T07:00:00.000Z',
        ],
        [
          'a start in the spring gap: 01:59:59 EST is not quiet',
          '2026-03-08T06:59:59.999Z',
          'America/New_York',
          { start: '02:30', end: '05:00' },
          null,
        ],
        [
          'a start in the spring gap: 03:00 EDT is quiet',
          '2026-03-08T07:00:00Z',
          'America/New_York',
          { start: '02:30', end: '05:00' },
          '2026-03-08T09:00:00.000Z',
        ],
        [
          'an end in the repeated hour: 01:10 EDT until 01:30 EDT',
          '2026-11-01T05:10:00Z',
          'America/New_York',
          { start: '00:00', end: '01:30' },
          '2026-11-01T05:30:00.000Z',
        ],
        [
          'an end in the repeated hour: 01:45 EDT is not quiet',
          '2026-11-01T05:45:00Z',
          'America/New_York',
          { start: '00:00', end: '01:30' },
          null,
        ],
        [
          'an end in the repeated hour: 01:10 EST until 01:30 EST',
          '2026-11-01T06:10:00Z',
          'America/New_York',
          { start: '00:00', end: '01:30' },
          '2026-11-01T06:30:00.000Z',
        ],
      ],
    ],
    [
      'Australia/Sydney (southern hemisphere: DST in January)',
      [
        [
          'January, 21:00 AEDT until 09:00 AEDT',
          '2026-01-15T10:00:00Z',
          'Australia/Sydney',
          NIGHT,
          '2026-01-15T22:00:00.000Z',
        ],
        [
          'July, 21:00 AEST until 09:00 AEST',
          '2026-07-15T11:00:00Z',
          'Australia/Sydney',
          NIGHT,
          '2026-07-15T23:00:00.000Z',
        ],
        [
          'the night DST ends (2026-04-05)',
          '2026-04-04T11:00:00Z',
          'Australia/Sydney',
          NIGHT,
          '2026-04-04T23:00:00.000Z',
        ],
        [
          'the night DST starts (2026-10-04)',
          '2026-10-03T11:00:00Z',
          'Australia/Sydney',
          NIGHT,
          '2026-10-03T22:00:00.000Z',
        ],
      ],
    ],
    [
      'half- and quarter-hour zones',
      [
        [
          'Adelaide 21:00 ACST until 09:00 ACDT',
          '2026-10-03T11:30:00Z',
          'Australia/Adelaide',
          NIGHT,
          '2026-10-03T22:30:00.000Z',
        ],
        ['Kathmandu (UTC+05:45) 20:59', '2026-06-01T15:14:00Z', 'Asia/Kathmandu', NIGHT, null],
        ['Kathmandu 21:00 until 09:00', '2026-06-01T15:15:00Z', 'Asia/Kathmandu', NIGHT, '2026-06-02T03:15:00.000Z'],
        [
          'Lord Howe springs forward half an hour over an end of 02:15',
          '2026-10-03T15:20:00Z',
          'Australia/Lord_Howe',
          { start: '01:00', end: '02:15' },
          '2026-10-03T15:30:00.000Z',
        ],
      ],
    ],
  ])('%s', (_zone, rows) => {
    it.each(rows)('%s', (_what, now, zone, window, expected) => {
      expect(until(now, zone, window)).toBe(expected);
      expect(isQuiet(new Date(now), zone, window)).toBe(expected !== null);
    });
  });

  it.each(['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'agrees with the local clock all year in %s: quiet exactly from 21:00 to 09:00, and the end is not quiet',
    (zone) => {
      const problems: string[] = [];
      const from = Date.parse('2026-01-01T00:00:00Z');
      for (let t = from; t < from + 366 * 86_400_000; t += 71 * 60_000 + 13_000) {
        const now = new Date(t);
        const local = DateTime.fromMillis(t, { zone });
        const end = quietUntil(now, zone, NIGHT);
        const at = `${now.toISOString()} (${local.toISO()})`;
        if ((end !== null) !== (local.hour >= 21 || local.hour < 9)) problems.push(`${at}: quiet is ${end !== null}`);
        if (end === null) continue;
        const endLocal = DateTime.fromJSDate(end, { zone });
        const hours = (end.getTime() - t) / 3_600_000;
        if (hours <= 0 || hours > 13) problems.push(`${at}: ends ${hours} h later`);
        if (endLocal.hour !== 9 || endLocal.minute !== 0) problems.push(`${at}: ends at ${endLocal.toISO()}`);
        if (quietUntil(end, zone, NIGHT) !== null) problems.push(`${at}: still quiet at the end`);
        if (quietUntil(new Date(end.getTime() - 1), zone, NIGHT)?.getTime() !== end.getTime()) {
          problems.push(`${at}: not quiet just before the end`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('refuses an unknown zone, a malformed time and an invalid date', () => {
    const now = new Date('2026-11-21T20:00:00Z');
    expect(() => quietUntil(now, 'Mars/Olympus_Mons', NIGHT)).toThrow('Unknown time zone "Mars/Olympus_Mons"');
    expect(() => quietUntil(now, '+25:00', NIGHT)).toThrow('Unknown time zone "+25:00"');
    expect(() => quietUntil(now, 'UTC', { start: '9pm', end: '09:00' })).toThrow(RangeError);
    expect(() => quietUntil(now, 'UTC', { start: '21:00', end: '9:00' })).toThrow('must be HH:MM');
    expect(() => quietUntil(new Date('not a date'), 'UTC', NIGHT)).toThrow(RangeError);
  });
});
