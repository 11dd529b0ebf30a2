import {
  DECISION_ORDER,
  STORE_RETRY_MS,
  decideSend,
  type DecisionInput,
  type StoreCheck,
} from '../../../src/engine/decision';
import type { ReasonCode } from '../../../src/engine/reasons';

/** 12:00 in Kolkata: outside the default 21:00–09:00 quiet hours. */
const NOON_IST = new Date('2026-11-21T06:30:00Z');

type Patch = (input: DecisionInput) => void;

/** An input that lets the message go: treatment cell, consented, nothing blocking. */
function input(...patches: Patch[]): DecisionInput {
  const base: DecisionInput = {
    lane: {
      name: 'abandoned_cart',
      category: 'marketing',
      enabled: true,
      quietHours: { start: '21:00', end: '09:00' },
      capPerContact: { max: 2, windowMs: 24 * 3_600_000 },
      capPerLane: null,
    },
    allPaused: false,
    contact: { phoneValid: true, optedOut: false, consent: { marketing: true, utility: true }, handoffActive: false },
    subject: { converted: false, paymentPending: false, cartEmpty: false, outOfStock: false },
    superseded: false,
    cell: 'treatment',
    templateAvailable: true,
    providerMarketingLimited: false,
    recentCrossChannel: false,
    marketingSentInWindow: 0,
    laneSentInWindow: 0,
    storeTimeZone: 'Asia/Kolkata',
    contactTimeZone: null,
    storeCheck: 'not_needed',
  };
  for (const patch of patches) patch(base);
  return base;
}

/** One patch per blocking reason, in the order the checks are documented to run. */
const BLOCKERS: Array<[ReasonCode, 'stop' | 'skip', Patch]> = [
  ['opted_out', 'stop', (i) => (i.contact.optedOut = true)],
  ['no_consent', 'stop', (i) => (i.contact.consent.marketing = false)],
  ['invalid_phone', 'stop', (i) => (i.contact.phoneValid = false)],
  ['converted', 'stop', (i) => (i.subject.converted = true)],
  ['payment_pending', 'stop', (i) => (i.subject.paymentPending = true)],
  ['product_in_cart', 'stop', (i) => (i.subject.stop = 'product_in_cart')],
  ['order_cancelled', 'stop', (i) => (i.subject.stop = 'order_cancelled')],
  ['order_refunded', 'stop', (i) => (i.subject.stop = 'order_refunded')],
  ['order_on_hold', 'stop', (i) => (i.subject.stop = 'order_on_hold')],
  ['order_disputed', 'stop', (i) => (i.subject.stop = 'order_disputed')],
  ['all_out_of_stock', 'stop', (i) => (i.subject.stop = 'all_out_of_stock')],
  ['products_gone', 'stop', (i) => (i.subject.stop = 'products_gone')],
  ['cart_empty', 'stop', (i) => (i.subject.cartEmpty = true)],
  ['handoff_active', 'stop', (i) => (i.contact.handoffActive = true)],
  ['superseded', 'stop', (i) => (i.superseded = true)],
  ['all_paused', 'skip', (i) => (i.allPaused = true)],
  ['sending_paused_by_monitor', 'skip', (i) => (i.monitorPaused = { all: true, lane: i.monitorPaused?.lane ?? false })],
  ['lane_paused', 'skip', (i) => (i.lane.enabled = false)],
  ['lane_paused_by_monitor', 'skip', (i) => (i.monitorPaused = { all: i.monitorPaused?.all ?? false, lane: true })],
  ['template_unavailable', 'skip', (i) => (i.templateAvailable = false)],
  ['out_of_stock', 'skip', (i) => (i.subject.outOfStock = true)],
  ['provider_marketing_limit', 'skip', (i) => (i.providerMarketingLimited = true)],
  ['cross_channel_recent', 'skip', (i) => (i.recentCrossChannel = true)],
  [
    'frequency_cap_lane',
    'skip',
    (i) => {
      i.lane.capPerLane = { max: 1, windowMs: 7 * 86_400_000 };
      i.laneSentInWindow = 1;
    },
  ],
  ['frequency_cap_contact', 'skip', (i) => (i.marketingSentInWindow = 2)],
];

const NIGHT_IST = new Date('2026-11-21T16:00:00Z'); // 21:30 in Kolkata
const heldOut: Patch = (i) => (i.cell = 'holdout');

describe('decideSend', () => {
  it('sends when nothing blocks', () => {
    expect(decideSend(input(), NOON_IST)).toEqual({ kind: 'send' });
  });

  it.each(BLOCKERS)('%s → %s', (reason, kind, patch) => {
    expect(decideSend(input(patch), NOON_IST)).toEqual({ kind, reason });
  });

  it('defers in quiet hours until they end in the store zone', () => {
    expect(decideSend(input(), NIGHT_IST)).toEqual({
      kind: 'defer',
      until: new Date('2026-11-22T03:30:00Z'),
      reason: 'quiet_hours',
    });
  });

  it('records a holdout contact as held out, not sent', () => {
    expect(decideSend(input(heldOut), NOON_IST)).toEqual({ kind: 'held_out', reason: 'held_out' });
  });

  describe('precedence: the first blocking check wins', () => {
    it('checks in the documented order', () => {
      expect(DECISION_ORDER).toEqual([
        ...BLOCKERS.map(([reason]) => reason),
        'quiet_hours',
        'store_unreachable',
        'held_out',
      ]);
    });

    it.each(BLOCKERS.slice(0, -1).map(([reason], n) => [reason, BLOCKERS[n + 1]![0], n] as const))(
      '%s wins over %s',
      (reason, _later, n) => {
        const [, kind, patch] = BLOCKERS[n]!;
        const [, , laterPatch] = BLOCKERS[n + 1]!;
        expect(decideSend(input(laterPatch, patch), NOON_IST)).toEqual({ kind, reason });
      },
    );

    it('opted_out wins when everything blocks at once, at night, in the holdout cell', () => {
      const all = BLOCKERS.map(([, , patch]) => patch);
      expect(decideSend(input(...all.reverse(), heldOut), NIGHT_IST)).toEqual({ kind: 'stop', reason: 'opted_out' });
    });

    it('a journey that is over stops even while everything is paused', () => {
      expect(
        decideSend(
          input(
            (i) => (i.allPaused = true),
            (i) => (i.subject.converted = true),
          ),
          NOON_IST,
        ),
      ).toEqual({
        kind: 'stop',
        reason: 'converted',
      });
    });

    it.each(BLOCKERS)('%s is recorded rather than deferring for quiet hours', (reason, kind, patch) => {
      expect(decideSend(input(patch), NIGHT_IST)).toEqual({ kind, reason });
    });

    it('quiet hours defer a holdout contact too (held out only when it would have been sent)', () => {
      expect(decideSend(input(heldOut), NIGHT_IST)).toMatchObject({ kind: 'defer', reason: 'quiet_hours' });
    });

    it.each(BLOCKERS)('a holdout contact blocked by %s is %sped, not held out', (reason, kind, patch) => {
      expect(decideSend(input(heldOut, patch), NOON_IST)).toEqual({ kind, reason });
    });
  });

  describe('quiet hours in the store zone', () => {
    it.each<[string, string, string, string | null]>([
      ['exactly 21:00 in Kolkata', '2026-11-21T15:30:00Z', 'Asia/Kolkata', '2026-11-22T03:30:00.000Z'],
      ['20:59 in Kolkata', '2026-11-21T15:29:00Z', 'Asia/Kolkata', null],
      ['exactly 09:00 in Kolkata', '2026-11-22T03:30:00Z', 'Asia/Kolkata', null],
      ['02:00 in Kolkata, across midnight', '2026-11-21T20:30:00Z', 'Asia/Kolkata', '2026-11-22T03:30:00.000Z'],
      ['noon in Kolkata is 01:30 in New York', '2026-11-21T06:30:00Z', 'America/New_York', '2026-11-21T14:00:00.000Z'],
      [
        '22:00 EST before spring forward, until 09:00 EDT',
        '2026-03-08T03:00:00Z',
        'America/New_York',
        '2026-03-08T13:00:00.000Z',
      ],
      [
        '02:30 CEST in the repeated hour, until 09:00 CET',
        '2026-10-25T00:30:00Z',
        'Europe/Berlin',
        '2026-10-25T08:00:00.000Z',
      ],
    ])('%s', (_what, now, zone, until) => {
      const decision = decideSend(
        input((i) => (i.storeTimeZone = zone)),
        new Date(now),
      );
      if (until === null) expect(decision).toEqual({ kind: 'send' });
      else expect(decision).toEqual({ kind: 'defer', until: new Date(until), reason: 'quiet_hours' });
    });

    // Quiet hours in the shopper's own time: the contact's zone when known, else the store's.
    it.each<[string, string, string | null, string, string | null]>([
      ['22:30 in Kolkata, store in UTC (17:00)', '2026-11-21T17:00:00Z', 'Asia/Kolkata', 'UTC', '2026-11-22T03:30:00Z'],
      [
        '21:30 in São Paulo, store in UTC (00:30)',
        '2026-11-22T00:30:00Z',
        'America/Sao_Paulo',
        'UTC',
        '2026-11-22T12:00:00Z',
      ],
      [
        '10:00 in São Paulo while the UTC store sleeps (13:00 UTC is day)',
        '2026-11-21T13:00:00Z',
        'America/Sao_Paulo',
        'UTC',
        null,
      ],
      [
        '02:00 UTC, night for a UTC store, but 07:30 in Kolkata',
        '2026-11-21T02:00:00Z',
        'Asia/Kolkata',
        'UTC',
        '2026-11-21T03:30:00Z',
      ],
      [
        'no zone known: the store zone decides (UTC 22:00)',
        '2026-11-21T22:00:00Z',
        null,
        'UTC',
        '2026-11-22T09:00:00Z',
      ],
      ['no zone known: noon in the UTC store', '2026-11-21T12:00:00Z', null, 'UTC', null],
    ])('%s', (_what, now, contactZone, storeZone, until) => {
      const decision = decideSend(
        input((i) => {
          i.contactTimeZone = contactZone;
          i.storeTimeZone = storeZone;
        }),
        new Date(now),
      );
      if (until === null) expect(decision).toEqual({ kind: 'send' });
      else expect(decision).toEqual({ kind: 'defer', until: new Date(until), reason: 'quiet_hours' });
    });

    it('sends at night when the lane has no quiet hours (start == end)', () => {
      const noQuiet: Patch = (i) => (i.lane.quietHours = { start: '00:00', end: '00:00' });
      expect(decideSend(input(noQuiet), NIGHT_IST)).toEqual({ kind: 'send' });
    });
  });

  describe('the pre-send re-check with the store', () => {
    const check =
      (answer: StoreCheck): Patch =>
      (i) =>
        (i.storeCheck = answer);
    const unreachableUntil = new Date(NOON_IST.getTime() + STORE_RETRY_MS);

    // [store check, cell, clock, expected]
    it.each<[StoreCheck, 'treatment' | 'holdout', Date, ReturnType<typeof decideSend>]>([
      ['not_needed', 'treatment', NOON_IST, { kind: 'send' }],
      ['not_needed', 'holdout', NOON_IST, { kind: 'held_out', reason: 'held_out' }],
      ['pending', 'treatment', NOON_IST, { kind: 'verify' }],
      ['pending', 'holdout', NOON_IST, { kind: 'verify' }],
      ['no_order', 'treatment', NOON_IST, { kind: 'send' }],
      ['no_order', 'holdout', NOON_IST, { kind: 'held_out', reason: 'held_out' }],
      ['ordered', 'treatment', NOON_IST, { kind: 'stop', reason: 'converted' }],
      ['ordered', 'holdout', NOON_IST, { kind: 'stop', reason: 'converted' }],
      // Only unpaid orders (pending, failed): the cart journey ends, and it is no conversion.
      ['payment_pending', 'treatment', NOON_IST, { kind: 'stop', reason: 'payment_pending' }],
      ['payment_pending', 'holdout', NOON_IST, { kind: 'stop', reason: 'payment_pending' }],
      ['unreachable', 'treatment', NOON_IST, { kind: 'defer', until: unreachableUntil, reason: 'store_unreachable' }],
      ['unreachable', 'holdout', NOON_IST, { kind: 'defer', until: unreachableUntil, reason: 'store_unreachable' }],
      // At night the step waits for the morning without asking the store.
      [
        'pending',
        'treatment',
        NIGHT_IST,
        { kind: 'defer', until: new Date('2026-11-22T03:30:00Z'), reason: 'quiet_hours' },
      ],
    ])('%s, %s cell, at %s → %j', (answer, cell, now, expected) => {
      expect(
        decideSend(
          input(check(answer), (i) => (i.cell = cell)),
          now,
        ),
      ).toEqual(expected);
    });

    it.each(BLOCKERS)('does not ask the store when %s already decides (%s)', (reason, kind, patch) => {
      expect(decideSend(input(check('pending'), patch), NOON_IST)).toEqual({ kind, reason });
    });

    it("a paid order the sidecar holds wins over the store's payment_pending, and the store's paid over a pending one held", () => {
      expect(
        decideSend(
          input(check('payment_pending'), (i) => (i.subject.converted = true)),
          NOON_IST,
        ),
      ).toEqual({
        kind: 'stop',
        reason: 'converted',
      });
      expect(
        decideSend(
          input(check('ordered'), (i) => (i.subject.paymentPending = true)),
          NOON_IST,
        ),
      ).toEqual({
        kind: 'stop',
        reason: 'converted',
      });
    });

    it("the store's ordered stops before any skip, like an order the sidecar holds", () => {
      expect(
        decideSend(
          input(check('ordered'), (i) => (i.allPaused = true)),
          NOON_IST,
        ),
      ).toEqual({
        kind: 'stop',
        reason: 'converted',
      });
      expect(
        decideSend(
          input(check('ordered'), (i) => (i.contact.optedOut = true)),
          NOON_IST,
        ),
      ).toEqual({
        kind: 'stop',
        reason: 'opted_out',
      });
    });
  });

  describe('caps', () => {
    it.each([
      [0, 'send'],
      [1, 'send'],
      [2, 'skip'],
      [3, 'skip'],
    ])('with %i of 2 marketing messages in the window: %s', (sent, kind) => {
      expect(
        decideSend(
          input((i) => (i.marketingSentInWindow = sent)),
          NOON_IST,
        ).kind,
      ).toBe(kind);
    });

    it('does not count the contact cap against a utility lane', () => {
      const utility: Patch = (i) => (i.lane.category = 'utility');
      expect(
        decideSend(
          input(utility, (i) => (i.marketingSentInWindow = 5)),
          NOON_IST,
        ),
      ).toEqual({ kind: 'send' });
    });

    it.each([
      [null, 9, 'send'],
      [3, 2, 'send'],
      [3, 3, 'skip'],
    ] as const)('lane cap %s with %i sent in its window: %s', (max, sent, kind) => {
      const patch: Patch = (i) => {
        i.lane.capPerLane = max === null ? null : { max, windowMs: 7 * 86_400_000 };
        i.laneSentInWindow = sent;
      };
      expect(decideSend(input(patch), NOON_IST).kind).toBe(kind);
    });
  });

  describe('consent scopes and categories', () => {
    const utility: Patch = (i) => (i.lane.category = 'utility');
    const only =
      (scope: 'marketing' | 'utility'): Patch =>
      (i) =>
        (i.contact.consent = { marketing: scope === 'marketing', utility: scope === 'utility' });

    it.each<[string, Patch[], ReturnType<typeof decideSend>]>([
      ['utility lane, utility consent only → send', [utility, only('utility')], { kind: 'send' }],
      ['marketing lane, utility consent only → stop', [only('utility')], { kind: 'stop', reason: 'no_consent' }],
      ['marketing lane, marketing consent only → send', [only('marketing')], { kind: 'send' }],
      [
        'utility lane, marketing consent only → stop',
        [utility, only('marketing')],
        { kind: 'stop', reason: 'no_consent' },
      ],
      [
        'utility lane ignores the provider marketing limit',
        [utility, (i) => (i.providerMarketingLimited = true)],
        { kind: 'send' },
      ],
      ['unknown stock is not out of stock', [(i) => delete i.subject.outOfStock], { kind: 'send' }],
    ])('%s', (_what, patches, expected) => {
      expect(decideSend(input(...patches), NOON_IST)).toEqual(expected);
    });
  });

  it('is pure: the same input and clock give the same decision, and the input is not changed', () => {
    const given = input(heldOut);
    const copy = structuredClone(given);
    expect(decideSend(given, NIGHT_IST)).toEqual(decideSend(copy, NIGHT_IST));
    expect(given).toEqual(copy);
  });
});
