import type { Trx } from '../db/database';
import type { LaneSettings } from '../engine/lanes';
import { chunks } from '../ingest/sql/upsert';
import { replan } from './journey';

/** A message in one of these states means its step went (was sent, or held out). */
const WENT = [
  'queued',
  'submitting',
  'submitted',
  'sent',
  'delivered',
  'read',
  'failed',
  'unknown',
  'lost',
  'held_out',
] as const;

/**
 * Re-plans a lane's active journeys after its settings changed (the SQL edge of `replan`), in
 * the caller's transaction — the one that saves the settings, so no step is decided between the
 * two on a mix of old and new. Each active enrollment is locked, its next step's due time
 * recomputed from the new settings, and a history entry says so; a journey whose next step the
 * new settings no longer have is completed. Returns how many enrollments changed.
 */
export async function replanLane(
  trx: Trx,
  storeId: number,
  lane: string,
  settings: LaneSettings,
  now: Date,
): Promise<number> {
  const active = await trx
    .selectFrom('enrollments')
    .select(['id', 'store_id', 'next_step', 'anchor_at', 'next_due_at'])
    .where('store_id', '=', storeId)
    .where('lane', '=', lane)
    .where('state', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
  let changed = 0;
  for (const batch of chunks(active)) {
    // When the step before each next one went: its spacing still holds under the new delays.
    const went = await trx
      .selectFrom('messages')
      .select(['enrollment_id', 'step'])
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where(
        'enrollment_id',
        'in',
        batch.map((e) => e.id),
      )
      .where('state', 'in', [...WENT])
      .groupBy(['enrollment_id', 'step'])
      .execute();
    const wentAt = new Map(went.map((m) => [`${m.enrollment_id}:${m.step}`, m.at as Date]));
    const history = [];
    for (const e of batch) {
      const plan = replan(settings, {
        nextStep: e.next_step,
        anchorAt: e.anchor_at,
        nextDueAt: e.next_due_at,
        previousWentAt: wentAt.get(`${e.id}:${e.next_step - 1}`) ?? null,
      });
      if (plan.kind === 'unchanged') continue;
      changed++;
      await trx
        .updateTable('enrollments')
        .set(
          plan.kind === 'due'
            ? { next_due_at: plan.at, updated_at: now }
            : { state: 'completed', next_due_at: null, updated_at: now },
        )
        .where('id', '=', e.id)
        .execute();
      history.push({
        store_id: e.store_id,
        enrollment_id: e.id,
        at: now,
        kind: plan.kind === 'due' ? 'replanned' : 'completed',
        step: e.next_step,
        reason: null,
        detail:
          plan.kind === 'due'
            ? `lane settings changed; step ${e.next_step + 1} now due ${plan.at.toISOString()}`
            : `lane settings changed; the lane has no step ${e.next_step + 1} any more`,
      });
    }
    if (history.length > 0) await trx.insertInto('enrollment_history').values(history).execute();
  }
  return changed;
}
