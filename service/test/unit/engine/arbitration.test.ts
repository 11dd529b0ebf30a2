import { arbitrate, isSuperseded, laneRank, type ActiveJourney } from '../../../src/engine/arbitration';
import { LANE_NAMES, type LaneName } from '../../../src/engine/lanes';

const j = (id: number, lane: string): ActiveJourney => ({ id, lane });

describe('arbitrate: one journey at a time per contact', () => {
  it('ranks payment_recovery > abandoned_cart > browse_abandonment > winback, unknown lanes last', () => {
    expect(
      ['winback', 'payment_recovery', 'birthday', 'browse_abandonment', 'abandoned_cart'].sort(
        (a, b) => laneRank(a) - laneRank(b),
      ),
    ).toEqual(['payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback', 'birthday']);
  });

  // [candidate, the contact's active journeys, expected]
  it.each<[LaneName, ActiveJourney[], ReturnType<typeof arbitrate>]>([
    ['abandoned_cart', [], { kind: 'start', supersede: [] }],
    ['winback', [], { kind: 'start', supersede: [] }],
    // A higher journey is active: the lower one does not start.
    ['abandoned_cart', [j(7, 'payment_recovery')], { kind: 'blocked', by: j(7, 'payment_recovery') }],
    ['browse_abandonment', [j(7, 'abandoned_cart')], { kind: 'blocked', by: j(7, 'abandoned_cart') }],
    ['winback', [j(7, 'browse_abandonment')], { kind: 'blocked', by: j(7, 'browse_abandonment') }],
    // The same lane blocks too: one cart journey at a time.
    ['abandoned_cart', [j(7, 'abandoned_cart')], { kind: 'blocked', by: j(7, 'abandoned_cart') }],
    ['payment_recovery', [j(7, 'payment_recovery')], { kind: 'blocked', by: j(7, 'payment_recovery') }],
    // A lower journey is active: the higher one starts and displaces it.
    ['payment_recovery', [j(3, 'abandoned_cart')], { kind: 'start', supersede: [j(3, 'abandoned_cart')] }],
    ['abandoned_cart', [j(3, 'browse_abandonment')], { kind: 'start', supersede: [j(3, 'browse_abandonment')] }],
    ['abandoned_cart', [j(3, 'winback')], { kind: 'start', supersede: [j(3, 'winback')] }],
    ['browse_abandonment', [j(3, 'winback')], { kind: 'start', supersede: [j(3, 'winback')] }],
    // Several lower ones (left over from before this rule): all go, in id order.
    [
      'payment_recovery',
      [j(9, 'winback'), j(4, 'browse_abandonment'), j(6, 'abandoned_cart')],
      { kind: 'start', supersede: [j(4, 'browse_abandonment'), j(6, 'abandoned_cart'), j(9, 'winback')] },
    ],
    // One higher and one lower: blocked, and the lower one is left to the higher journey's start.
    ['browse_abandonment', [j(9, 'winback'), j(4, 'abandoned_cart')], { kind: 'blocked', by: j(4, 'abandoned_cart') }],
    // The blocker named is the highest-ranked one, whatever the order given.
    [
      'winback',
      [j(2, 'browse_abandonment'), j(5, 'payment_recovery'), j(1, 'abandoned_cart')],
      { kind: 'blocked', by: j(5, 'payment_recovery') },
    ],
    // A journey of a lane this version does not know is displaced rather than run alongside.
    ['winback', [j(8, 'birthday')], { kind: 'start', supersede: [j(8, 'birthday')] }],
  ])('%s with %j → %j', (candidate, active, expected) => {
    expect(arbitrate(active, candidate)).toEqual(expected);
    expect(arbitrate([...active].reverse(), candidate)).toEqual(expected);
  });

  it('never lets two journeys run: after a start, every other active journey is superseded', () => {
    for (const candidate of LANE_NAMES) {
      for (const other of LANE_NAMES) {
        const decision = arbitrate([j(1, other)], candidate);
        if (decision.kind === 'start') expect(decision.supersede).toEqual([j(1, other)]);
        else expect(laneRank(other)).toBeLessThanOrEqual(laneRank(candidate));
      }
    }
  });
});

describe('isSuperseded', () => {
  it.each<[string, string[], boolean]>([
    ['abandoned_cart', [], false],
    ['abandoned_cart', ['payment_recovery'], true],
    ['abandoned_cart', ['browse_abandonment', 'winback'], false],
    ['abandoned_cart', ['abandoned_cart'], false],
    ['winback', ['browse_abandonment'], true],
    ['payment_recovery', ['abandoned_cart', 'winback'], false],
  ])('%s with %j active: %s', (lane, others, expected) => {
    expect(isSuperseded(lane, others)).toBe(expected);
  });
});
