import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { lanesAtOrAbove } from '../../engine/arbitration';
import type { LaneName } from '../../engine/lanes';

/**
 * A planner's candidate filter: the contact (named by the outer query's columns) has no active
 * journey of `lane` or a higher one, and no open handoff (they asked for a person). enroll.ts
 * decides both again with the contact's row locked; this only keeps such contacts out of a
 * planner's batch, so they never crowd out others who could start.
 */
export function freeToStart(lane: LaneName, storeColumn: string, contactColumn: string): RawBuilder<SqlBool> {
  const store = sql.ref(storeColumn);
  const contact = sql.ref(contactColumn);
  return sql<SqlBool>`(NOT EXISTS (SELECT 1 FROM enrollments a
      WHERE a.store_id = ${store} AND a.contact_id = ${contact} AND a.state = 'active'
        AND a.lane IN (${sql.join(lanesAtOrAbove(lane))}))
    AND NOT EXISTS (SELECT 1 FROM handoffs h
      WHERE h.store_id = ${store} AND h.contact_id = ${contact} AND h.closed_at IS NULL))`;
}
