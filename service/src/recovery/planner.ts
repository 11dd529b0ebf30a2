import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import { consentsOf } from '../consent/ledger';
import { parseDurationMs, type LaneSettings } from '../engine/lanes';
import { enroll } from './enroll';
import { startEnrollment } from './journey';
import { freeToStart } from './sql/free-to-start';

export const CART_LANE = 'abandoned_cart';
/** Carts idle for longer than this are history, not abandonment: never enrolled. */
export const LOOKBACK_MS = 7 * 24 * 3600 * 1000;

/**
 * Starts `abandoned_cart` journeys: carts with lines, linked to a contact with a phone and
 * marketing consent, idle for the lane's inactivity delay, not yet enrolled for this episode
 * (a cart emptied and filled again is a new episode). One journey at a time per contact
 * (recovery/enroll.ts): a cart whose contact has an active journey of this lane or a higher one
 * waits for a later pass; lower ones (browse abandonment, win-back) are superseded. Idempotent and
 * safe with several processes: the contact's row is locked while deciding, and the enrollment's
 * unique key makes a second insert a no-op. Returns how many began.
 */
export async function planCartEnrollments(
  db: Db,
  storeId: number,
  settings: LaneSettings,
  salt: string,
  now: Date,
  limit = 500,
): Promise<number> {
  if (!settings.enabled) return 0;
  const idleSince = new Date(now.getTime() - parseDurationMs(settings.inactivity_delay));
  const candidates = await db
    .selectFrom('carts as c')
    .innerJoin('contacts as p', 'p.id', 'c.contact_id')
    .leftJoin('enrollments as e', (join) =>
      join
        .onRef('e.store_id', '=', 'c.store_id')
        .on('e.lane', '=', CART_LANE)
        .on('e.subject_kind', '=', 'cart')
        .onRef('e.subject_id', '=', 'c.cart_key')
        .onRef('e.episode_at', '=', 'c.started_at'),
    )
    .select(['c.cart_key', 'c.contact_id', 'c.started_at', 'c.content_at'])
    .where('c.store_id', '=', storeId)
    .where('c.status', '=', 'active')
    .where('c.item_count', '>', 0)
    .where('c.content_at', '<=', idleSince)
    .where('c.content_at', '>=', new Date(now.getTime() - LOOKBACK_MS))
    .where('e.id', 'is', null)
    // A shopper already in a journey of this lane or a higher one, or who asked for a person,
    // waits (enroll.ts decides it again, locked): left out here, never crowding others out of `limit`.
    .where(freeToStart(CART_LANE, 'c.store_id', 'c.contact_id'))
    .orderBy('c.content_at')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return 0;
  const consents = await consentsOf(
    db,
    storeId,
    candidates.map((c) => c.contact_id as number),
  );
  let started = 0;
  for (const c of candidates) {
    if (c.contact_id === null || c.started_at === null || c.content_at === null) continue;
    const plan = startEnrollment(
      settings,
      CART_LANE,
      {
        contactId: c.contact_id,
        lastChangeAt: c.content_at,
        consented: consents.get(c.contact_id)?.[settings.category].granted === true,
      },
      salt,
      now,
    );
    if (!plan) continue;
    const contactId = c.contact_id;
    const episodeAt = c.started_at;
    const result = await withTransaction(db, (trx) =>
      enroll(
        trx,
        {
          storeId,
          lane: CART_LANE,
          contactId,
          subject: { kind: 'cart', id: c.cart_key, episodeAt },
          cell: plan.cell,
          anchorAt: plan.anchorAt,
          nextDueAt: plan.nextDueAt,
        },
        now,
      ),
    );
    const inserted = result.kind === 'started';
    if (inserted) started++;
  }
  return started;
}
