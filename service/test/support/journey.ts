import { defaultLaneSettings, type LaneSettings } from '../../src/engine/lanes';
import type { Db } from '../../src/db/database';
import { planCartEnrollments, CART_LANE } from '../../src/recovery/planner';
import { runDueSteps, type StepContext } from '../../src/recovery/stepper';

export const SALT = 'test-holdout-salt';

/** The abandoned-cart lane's defaults, with changes; no holdout and no quiet hours unless asked. */
export function laneSettings(change: Partial<LaneSettings> = {}): LaneSettings {
  return {
    ...defaultLaneSettings('abandoned_cart'),
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' },
    ...change,
  };
}

export function stepContext(settings: LaneSettings, change: Partial<StepContext> = {}): StepContext {
  return {
    storeId: 1,
    lane: CART_LANE,
    settings,
    allPaused: false,
    store: { timeZone: 'Asia/Kolkata', locale: 'en_IN', currency: 'INR', name: 'Kurta Co' },
    ...change,
  };
}

/** One engine tick at `now`: start journeys, then take every step due. */
export async function tick(db: Db, settings: LaneSettings, now: Date, ctx?: Partial<StepContext>): Promise<void> {
  await planCartEnrollments(db, 1, settings, SALT, now);
  await runDueSteps(db, stepContext(settings, ctx), now);
}

export const minutesLater = (minutes: number) => new Date(Date.now() + minutes * 60_000);
