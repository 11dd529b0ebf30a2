import { sql } from 'kysely';
import type { Trx } from '../../db/database';
import { arbitrate, type ActiveJourney } from '../../engine/arbitration';
import { WINBACK_LANE, WINBACK_SUBJECT, type WinbackStart } from '../../engine/winback';
import { enroll } from '../enroll';

export interface PlannedWinback {
  contactId: number;
  plan: WinbackStart;
}

/**
 * Starts many win-back journeys in one transaction, with the same arbitration as enroll() (one
 * journey at a time per contact, recovery/enroll.ts) done set-wise: the contacts' rows are locked
 * (FOR UPDATE, in id order), their active journeys read, `arbitrate` decides for each; the free
 * ones are inserted with one multi-row INSERT IGNORE on the enrollment's unique key (contact and
 * pass day: a second pass is a no-op) and their `enrolled` history rows with another. Win-back is
 * the lowest lane, so it only ever displaces a journey of a lane this version does not know: such
 * a contact goes through enroll() itself, under the lock already held. A contact with an open
 * handoff (they asked for a person: webhooks/handoff.ts) is left out, read set-wise under the same
 * lock. Returns the ids started.
 */
export async function enrollWinbacks(
  trx: Trx,
  storeId: number,
  planned: readonly PlannedWinback[],
  now: Date,
): Promise<number[]> {
  if (planned.length === 0) return [];
  const ids = [...new Set(planned.map((p) => p.contactId))].sort((a, b) => a - b);
  const locked = await trx
    .selectFrom('contacts')
    .select('id')
    .where('store_id', '=', storeId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  const present = new Set(locked.map((c) => Number(c.id)));
  const handedOver = await trx
    .selectFrom('handoffs')
    .select('contact_id')
    .distinct()
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', ids)
    .where('closed_at', 'is', null)
    .execute();
  for (const h of handedOver) present.delete(Number(h.contact_id));
  const active = await trx
    .selectFrom('enrollments')
    .select(['id', 'lane', 'contact_id'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', ids)
    .where('state', '=', 'active')
    .execute();
  const activeOf = new Map<number, ActiveJourney[]>();
  for (const e of active) {
    const list = activeOf.get(Number(e.contact_id)) ?? [];
    list.push({ id: Number(e.id), lane: e.lane });
    activeOf.set(Number(e.contact_id), list);
  }

  const free: PlannedWinback[] = [];
  const started: number[] = [];
  for (const p of planned) {
    if (!present.has(p.contactId)) continue;
    const decision = arbitrate(activeOf.get(p.contactId) ?? [], WINBACK_LANE);
    if (decision.kind === 'blocked') continue;
    if (decision.supersede.length === 0) {
      free.push(p);
      continue;
    }
    const result = await enroll(trx, startOf(storeId, p), now);
    if (result.kind === 'started') started.push(result.id);
  }
  if (free.length === 0) return started;

  // Raw SQL: MariaDB's INSERT … RETURNING answers the rows actually inserted (not the ignored ones).
  const values = free.map((p) => {
    const r = row(storeId, p);
    return sql`(${r.store_id}, ${r.lane}, ${r.contact_id}, ${r.subject_kind}, ${r.subject_id}, ${r.episode_at},
      ${r.cell}, ${r.state}, ${r.anchor_at}, ${r.next_step}, ${r.next_due_at}, ${r.offer}, ${now}, ${now})`;
  });
  const { rows: inserted } = await sql<{ id: number | string }>`INSERT IGNORE INTO enrollments
    (store_id, lane, contact_id, subject_kind, subject_id, episode_at, cell, state, anchor_at, next_step,
      next_due_at, offer, created_at, updated_at)
    VALUES ${sql.join(values)} RETURNING id`.execute(trx);
  const newIds = inserted.map((r) => Number(r.id));
  if (newIds.length === 0) return started;
  const cellOf = new Map(free.map((p) => [String(p.contactId), p.plan.cell]));
  const rows = await trx.selectFrom('enrollments').select(['id', 'subject_id']).where('id', 'in', newIds).execute();
  await trx
    .insertInto('enrollment_history')
    .values(
      rows.map((r) => ({
        store_id: storeId,
        enrollment_id: Number(r.id),
        at: now,
        kind: 'enrolled',
        step: null,
        reason: null,
        detail: `cell ${cellOf.get(r.subject_id) ?? 'treatment'}`,
      })),
    )
    .execute();
  return [...started, ...newIds];
}

function row(storeId: number, p: PlannedWinback) {
  return {
    store_id: storeId,
    lane: WINBACK_LANE,
    contact_id: p.contactId,
    subject_kind: WINBACK_SUBJECT,
    subject_id: String(p.contactId),
    episode_at: p.plan.episodeAt,
    cell: p.plan.cell,
    state: 'active' as const,
    anchor_at: p.plan.anchorAt,
    next_step: 0,
    next_due_at: p.plan.nextDueAt,
    offer: JSON.stringify({ products: p.plan.products }),
  };
}

function startOf(storeId: number, p: PlannedWinback) {
  return {
    storeId,
    lane: WINBACK_LANE,
    contactId: p.contactId,
    subject: { kind: WINBACK_SUBJECT, id: String(p.contactId), episodeAt: p.plan.episodeAt },
    cell: p.plan.cell,
    anchorAt: p.plan.anchorAt,
    nextDueAt: p.plan.nextDueAt,
    offer: JSON.stringify({ products: p.plan.products }),
  } as const;
}
