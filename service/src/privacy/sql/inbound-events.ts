import { sql, type RawBuilder } from 'kysely';
import type { Trx } from '../../db/database';
import { chunks } from '../../ingest/sql/upsert';
import type { Subject } from './subject';

/** What an erased event's payload becomes. */
export const ERASED_PAYLOAD = '{"erased":true}';

const DATA_KEYS = {
  customerIds: ['$.data.customer_id'],
  sessionIds: ['$.data.session_id'],
  cartKeys: ['$.data.cart_key', '$.data.subject.id'],
  contactRefs: ['$.data.contact_ref'],
} as const;

/**
 * Blanks the payloads of the inbound events that mention the subject: its phones or emails
 * (as JSON strings, so +1555123 never matches +15551234), its customer ids, browsing sessions,
 * carts or known-browser references. The rows themselves stay: their ids keep ingestion idempotent, so a retried batch
 * cannot bring the erased facts back. Found with a plain read (a scan of the store's log: erasure
 * is rare), then updated by key. Returns how many payloads were blanked.
 */
export async function eraseInboundEvents(trx: Trx, storeId: number, subject: Subject): Promise<number> {
  const terms: RawBuilder<unknown>[] = [];
  for (const value of [...subject.phones, ...subject.emails]) {
    terms.push(sql`INSTR(payload, ${JSON.stringify(value)}) > 0`);
  }
  for (const [key, paths] of Object.entries(DATA_KEYS) as Array<[keyof typeof DATA_KEYS, readonly string[]]>) {
    const values = subject[key].map(String);
    if (values.length === 0) continue;
    for (const path of paths) {
      terms.push(sql`JSON_UNQUOTE(JSON_EXTRACT(payload, ${path})) IN (${sql.join(values)})`);
    }
  }
  if (terms.length === 0) return 0;
  const { rows } = await sql<{ event_id: string }>`
    SELECT event_id FROM inbound_events
    WHERE store_id = ${storeId} AND payload <> ${ERASED_PAYLOAD} AND (${sql.join(terms, sql` OR `)})`.execute(trx);
  for (const chunk of chunks(rows.map((r) => r.event_id))) {
    await trx
      .updateTable('inbound_events')
      .set({ payload: ERASED_PAYLOAD })
      .where('store_id', '=', storeId)
      .where('event_id', 'in', chunk)
      .execute();
  }
  return rows.length;
}
