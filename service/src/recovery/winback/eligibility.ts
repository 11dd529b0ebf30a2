import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { WINBACK_LANE, WINBACK_SUBJECT } from '../../engine/winback';

export interface JourneyFacts {
  /** Lanes of the contact's active journeys. */
  activeLanes: string[];
  /** When its newest win-back journey began, or null. */
  lastWinbackAt: Date | null;
}

/** For a chunk of contacts: their active journeys' lanes and their newest win-back journey (two grouped reads). */
export async function journeyFactsOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
): Promise<Map<number, JourneyFacts>> {
  const facts = new Map<number, JourneyFacts>(contactIds.map((id) => [id, { activeLanes: [], lastWinbackAt: null }]));
  if (contactIds.length === 0) return facts;
  const active = await db
    .selectFrom('enrollments')
    .select(['contact_id', 'lane'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', [...contactIds])
    .where('state', '=', 'active')
    .execute();
  for (const row of active) facts.get(Number(row.contact_id))?.activeLanes.push(row.lane);
  const { rows } = await sql<{ subject_id: string; last_at: Date }>`
    SELECT subject_id, MAX(created_at) AS last_at FROM enrollments
    WHERE store_id = ${storeId} AND lane = ${WINBACK_LANE} AND subject_kind = ${WINBACK_SUBJECT}
      AND subject_id IN (${sql.join(contactIds.map(String))})
    GROUP BY subject_id`.execute(db);
  for (const row of rows) {
    const entry = facts.get(Number(row.subject_id));
    if (entry) entry.lastWinbackAt = row.last_at;
  }
  return facts;
}
