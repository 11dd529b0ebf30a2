import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import type { ErasureCounts } from './erase-report';
import { exportItems, type ExportItem } from './export-items';
import type { PrivacyRequest } from './request';
import { anonymiseKept } from './sql/anonymise';
import { deleteFacts } from './sql/delete-facts';
import { readExportRows } from './sql/export-rows';
import { eraseInboundEvents } from './sql/inbound-events';
import { stopJourneys } from './sql/stop-journeys';
import { findSubject } from './sql/subject';

/** Everything the sidecar holds about the person, as WordPress export items (empty: nobody matched). */
export async function exportPersonalData(db: Db, storeId: number, request: PrivacyRequest): Promise<ExportItem[]> {
  const subject = await findSubject(db, storeId, request);
  return exportItems(await readExportRows(db, storeId, subject));
}

/**
 * Erases the person in one transaction: their contacts are locked first, their journeys stopped
 * and queued messages cancelled, the rows that exist only because of them deleted, the rows kept
 * for reporting stripped of personal data, and the logged events that mention them blanked.
 * Running it again finds nothing and changes nothing.
 *
 * Locks: contacts, then their active journeys; a step being taken holds its journey and waits for
 * the contact, so the two may deadlock, and `withTransaction` runs the loser again. A message the
 * dispatcher already moved to `submitting` is on its way and cannot be recalled; its row is still
 * stripped here.
 */
export async function erasePersonalData(
  db: Db,
  storeId: number,
  request: PrivacyRequest,
  now: Date,
): Promise<ErasureCounts> {
  return withTransaction(db, async (trx) => {
    const subject = await findSubject(trx, storeId, request, { lock: true });
    const stopped = await stopJourneys(trx, storeId, subject, now);
    const kept = await anonymiseKept(trx, storeId, subject, now);
    const deleted = await deleteFacts(trx, storeId, subject);
    const events = await eraseInboundEvents(trx, storeId, subject);
    return {
      ...deleted,
      events,
      orders: kept.orders,
      messages: kept.messages,
      journeysStopped: stopped.journeys,
      messagesCancelled: stopped.messages,
    };
  });
}
