import type { Trx } from '../db/database';
import { arbitrate, type ActiveJourney } from '../engine/arbitration';
import type { Cell } from '../engine/holdout';
import type { LaneName } from '../engine/lanes';
import { hasOpenHandoff } from '../webhooks/handoff';

/**
 * Starts one journey, one journey at a time per contact (engine/arbitration.ts), inside the
 * caller's transaction — the SQL edge of the arbitration:
 *
 * 1. the contact's row is locked (FOR UPDATE) first, so two starts for one contact — two lanes,
 *    two processes — and the steps decided for it (recovery/facts.ts locks the same row) take
 *    turns: no check-then-insert race;
 * 2. a contact who asked for a person (an open handoff, webhooks/handoff.ts) gets no new journey
 *    (`handoff_active`): nothing automated goes to them until a person closes it; else its active
 *    journeys are read (READ COMMITTED: everything committed before the lock was had);
 * 3. `arbitrate` decides: blocked by a journey at or above this lane (nothing is written), or start;
 *    with `notIfSince`, a journey of the same lane and subject begun after `since` (in any state),
 *    or of the same lane and any subject begun at or after `anySubjectFrom`, keeps this one from
 *    starting too (`repeated`): once-per-window rules (browse abandonment: once per product per
 *    `repeat_after`, one journey per visit) that hold when two planners race, since the second
 *    reads, under the lock, what the first committed;
 * 4. the enrollment is inserted (INSERT IGNORE on its subject key: a second start of the same
 *    episode is a no-op) with its `enrolled` history row, and the journeys of lower lanes are
 *    stopped as `superseded`, each with a history row, their queued messages skipped.
 *
 * A lower journey whose step is being taken right now (its row locked by a stepper) is skipped
 * here rather than waited for: that stepper waits for the contact's row, then sees this journey
 * and stops its own as `superseded` (the send decision's check). So no enrollment's lock is
 * waited for while the contact's is held (the stepper takes the two the other way round).
 */

export interface EnrollmentStart {
  storeId: number;
  lane: LaneName;
  contactId: number;
  subject: { kind: string; id: string; episodeAt: Date };
  cell: Cell;
  anchorAt: Date;
  nextDueAt: Date;
  /** JSON: what the journey offers (win-back: its products), kept on the enrollment. */
  offer?: string;
  /**
   * Not when a journey of this lane for this subject (kind and id, any episode and state) began
   * after `since`, nor, with `anySubjectFrom`, one of this lane for the contact (any subject)
   * began at or after it: checked after the contact's row is locked. Without it, only the
   * episode's unique key keeps a subject from starting twice.
   */
  notIfSince?: { since: Date; anySubjectFrom?: Date };
}

export type EnrollResult =
  | { kind: 'started'; id: number; superseded: number[] }
  | { kind: 'blocked'; by: ActiveJourney }
  | { kind: 'exists' }
  /** `notIfSince`: a journey of this lane (`id`) for this subject, or any subject, began within its window. */
  | { kind: 'repeated'; id: number }
  /** The contact has an open handoff: a person is handling the conversation. */
  | { kind: 'handoff_active' }
  | { kind: 'no_contact' };

export async function enroll(trx: Trx, start: EnrollmentStart, now: Date): Promise<EnrollResult> {
  const contact = await trx
    .selectFrom('contacts')
    .select('id')
    .where('id', '=', start.contactId)
    .where('store_id', '=', start.storeId)
    .forUpdate()
    .executeTakeFirst();
  if (!contact) return { kind: 'no_contact' };
  if (await hasOpenHandoff(trx, start.storeId, start.contactId)) return { kind: 'handoff_active' };

  const active = await trx
    .selectFrom('enrollments')
    .select(['id', 'lane'])
    .where('store_id', '=', start.storeId)
    .where('contact_id', '=', start.contactId)
    .where('state', '=', 'active')
    .execute();
  const decision = arbitrate(
    active.map((e) => ({ id: e.id, lane: e.lane })),
    start.lane,
  );
  if (decision.kind === 'blocked') return decision;
  const guard = start.notIfSince;
  if (guard) {
    const recent = await trx
      .selectFrom('enrollments')
      .select('id')
      .where('store_id', '=', start.storeId)
      .where('lane', '=', start.lane)
      .where((eb) => {
        const { since, anySubjectFrom } = guard;
        const same = eb.and([
          eb('subject_kind', '=', start.subject.kind),
          eb('subject_id', '=', start.subject.id),
          eb('created_at', '>', since),
        ]);
        if (!anySubjectFrom) return same;
        return eb.or([same, eb.and([eb('contact_id', '=', start.contactId), eb('created_at', '>=', anySubjectFrom)])]);
      })
      .orderBy('id')
      .executeTakeFirst();
    if (recent) return { kind: 'repeated', id: recent.id };
  }

  const result = await trx
    .insertInto('enrollments')
    .ignore()
    .values({
      store_id: start.storeId,
      lane: start.lane,
      contact_id: start.contactId,
      subject_kind: start.subject.kind,
      subject_id: start.subject.id,
      episode_at: start.subject.episodeAt,
      cell: start.cell,
      state: 'active',
      anchor_at: start.anchorAt,
      next_step: 0,
      next_due_at: start.nextDueAt,
      offer: start.offer ?? null,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return { kind: 'exists' };
  const id = Number(result.insertId);
  await trx
    .insertInto('enrollment_history')
    .values({
      store_id: start.storeId,
      enrollment_id: id,
      at: now,
      kind: 'enrolled',
      step: null,
      reason: null,
      detail: `cell ${start.cell}`,
    })
    .execute();
  const superseded = await supersede(trx, start, id, decision.supersede, now);
  return { kind: 'started', id, superseded };
}

/** Stops the displaced journeys that no stepper holds now; returns the ids stopped. */
async function supersede(
  trx: Trx,
  start: EnrollmentStart,
  by: number,
  journeys: readonly ActiveJourney[],
  now: Date,
): Promise<number[]> {
  if (journeys.length === 0) return [];
  const free = await trx
    .selectFrom('enrollments')
    .select('id')
    .where(
      'id',
      'in',
      journeys.map((j) => j.id),
    )
    .where('state', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute();
  const ids = free.map((e) => e.id);
  if (ids.length === 0) return ids;
  await trx
    .updateTable('enrollments')
    .set({ state: 'stopped', stop_reason: 'superseded', next_due_at: null, updated_at: now })
    .where('id', 'in', ids)
    .execute();
  await trx
    .insertInto('enrollment_history')
    .values(
      ids.map((id) => ({
        store_id: start.storeId,
        enrollment_id: id,
        at: now,
        kind: 'stopped',
        step: null,
        reason: 'superseded',
        detail: `superseded by the ${start.lane} journey ${by}`,
      })),
    )
    .execute();
  // A displaced journey's message still waiting to go must not go either.
  await trx
    .updateTable('messages')
    .set({ state: 'skipped', error_message: 'superseded', updated_at: now })
    .where('store_id', '=', start.storeId)
    .where('enrollment_id', 'in', ids)
    .where('state', '=', 'queued')
    .execute();
  return ids;
}
