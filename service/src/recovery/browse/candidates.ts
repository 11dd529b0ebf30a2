import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { freeToStart } from '../sql/free-to-start';
import { BROWSE_LANE, BROWSE_SUBJECT } from '../../engine/browse';

export interface BrowseWindow {
  /** The oldest view that counts (now minus the lookback). */
  since: Date;
  /** The newest view of a shopper idle long enough (now minus `inactivity_delay`). */
  idleSince: Date;
  /** A browse journey begun after this keeps its product from another (now minus `repeat_after`). */
  repeatSince: Date;
}

/**
 * The contacts that may have abandoned a browse, in one grouped scan of the lookback's views
 * (`product_views_recent`): known contacts whose NEWEST view is at or before `idleSince`, with
 * at least one view of an in-stock product that has no browse journey begun after `repeatSince`
 * and came after the contact's newest browse journey began, some marketing consent ever granted, no open handoff (they asked for a person), and no active journey of browse or a lane above it. These
 * are necessary conditions only; engine/browse.ts decides on the full facts (carts, orders,
 * current consent, the newest view per product). Newest idle first, so a shopper who has just
 * become idle is never crowded out of `limit` by older candidates that keep failing the finer
 * checks (they were considered when they were new).
 */
export async function browseCandidates(
  db: Db,
  storeId: number,
  window: BrowseWindow,
  limit: number,
): Promise<number[]> {
  const { rows } = await sql<{ contact_id: number | string }>`
    SELECT v.contact_id, MAX(v.viewed_at) AS last_view
    FROM product_views v
    LEFT JOIN enrollments e ON e.store_id = v.store_id AND e.lane = ${BROWSE_LANE}
      AND e.subject_kind = ${BROWSE_SUBJECT} AND e.subject_id = CONCAT(v.contact_id, ':', v.product_id)
      AND e.created_at > ${window.repeatSince}
    WHERE v.store_id = ${storeId} AND v.viewed_at >= ${window.since} AND v.contact_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM consent_ledger c
        WHERE c.store_id = v.store_id AND c.contact_id = v.contact_id AND c.scope = 'marketing' AND c.action = 'granted')
      AND ${freeToStart(BROWSE_LANE, 'v.store_id', 'v.contact_id')}
    GROUP BY v.contact_id
    HAVING MAX(v.viewed_at) <= ${window.idleSince}
      AND SUM(e.id IS NULL AND v.in_stock = 1 AND NOT EXISTS (SELECT 1 FROM enrollments h
        WHERE h.store_id = v.store_id AND h.contact_id = v.contact_id AND h.lane = ${BROWSE_LANE}
          AND h.created_at >= v.viewed_at)) > 0
    ORDER BY last_view DESC, v.contact_id
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => Number(r.contact_id));
}
