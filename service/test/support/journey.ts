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

/**
 * A cart's journey, its messages and its history, from one snapshot: REPEATABLE READ, as under the
 * pool's READ COMMITTED the dispatcher's answer could commit between two of the reads.
 */
export function journal(db: Db, cartKey: string) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const e = await trx
        .selectFrom('enrollments')
        .selectAll()
        .where('subject_id', '=', cartKey)
        .executeTakeFirstOrThrow();
      const messages = await trx
        .selectFrom('messages')
        .selectAll()
        .where('enrollment_id', '=', e.id)
        .orderBy('id')
        .execute();
      const history = await trx
        .selectFrom('enrollment_history')
        .selectAll()
        .where('enrollment_id', '=', e.id)
        .orderBy('id')
        .execute();
      return { enrollment: e, messages, history };
    });
}
