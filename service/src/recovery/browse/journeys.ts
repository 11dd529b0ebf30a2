import type { Db } from '../../db/database';
import { BROWSE_LANE, BROWSE_SUBJECT } from '../../engine/browse';

export interface JourneyFacts {
  activeLanes: string[];
  browseJourneys: { productId: number; startedAt: Date }[];
}

/**
 * For a chunk of contacts, in one read of their journeys (`enrollments_contact`): the lanes of
 * their active ones, and their browse journeys begun after `since` (engine/browse.ts
 * `browseJourneysSince`; the product from the subject id `${contactId}:${productId}`).
 */
export async function journeysOf(
  db: Db,
  storeId: number,
  contactIds: readonly number[],
  since: Date,
): Promise<Map<number, JourneyFacts>> {
  const byContact = new Map<number, JourneyFacts>(
    contactIds.map((id) => [id, { activeLanes: [], browseJourneys: [] }]),
  );
  if (contactIds.length === 0) return byContact;
  const rows = await db
    .selectFrom('enrollments')
    .select(['contact_id', 'lane', 'state', 'subject_kind', 'subject_id', 'created_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', [...contactIds])
    .where((eb) =>
      eb.or([
        eb('state', '=', 'active'),
        eb.and([eb('lane', '=', BROWSE_LANE), eb('subject_kind', '=', BROWSE_SUBJECT), eb('created_at', '>', since)]),
      ]),
    )
    .execute();
  for (const row of rows) {
    const entry = byContact.get(Number(row.contact_id));
    if (!entry) continue;
    if (row.state === 'active') entry.activeLanes.push(row.lane);
    if (row.lane !== BROWSE_LANE || row.subject_kind !== BROWSE_SUBJECT) continue;
    if (row.created_at.getTime() <= since.getTime()) continue;
    const productId = Number(row.subject_id.split(':')[1]);
    if (Number.isInteger(productId)) entry.browseJourneys.push({ productId, startedAt: row.created_at });
  }
  return byContact;
}
