import { decisionLane } from '../../../src/engine/decision';
import { defaultLaneSettings } from '../../../src/engine/lanes';

describe('decisionLane', () => {
  it('turns stored settings into the decision input, durations in milliseconds', () => {
    const settings = defaultLaneSettings('abandoned_cart');
    settings.lane_cap = { max: 1, window: 'P7D' };
    expect(decisionLane('abandoned_cart', settings)).toEqual({
      name: 'abandoned_cart',
      category: 'marketing',
      enabled: true,
      quietHours: { start: '21:00', end: '09:00' },
      capPerContact: { max: 2, windowMs: 86_400_000 },
      capPerLane: { max: 1, windowMs: 7 * 86_400_000 },
    });
    expect(decisionLane('abandoned_cart', defaultLaneSettings('abandoned_cart')).capPerLane).toBeNull();
  });
});
