import type { Db } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import { consentsOf } from '../../consent/ledger';
import type { LaneSettings } from '../../engine/lanes';
import { lapseCutoff, lapseOf, planWinback, type LapseVerdict } from '../../engine/winback';
import { enrollWinbacks, type PlannedWinback } from './enroll-many';
import { journeyFactsOf } from './eligibility';
import { lapsedChunk } from './lapsed';
import { recentProductsPool, type ProductPool } from './pool';
import { purchasesOf } from './purchases';

export const WINBACK_CHUNK = 1000;

export interface WinbackPassOptions {
  /** Contacts per keyset chunk (default 1,000). */
  chunkSize?: number;
  /** Where the candidate products come from (default: the recent products the store showed). */
  pool?: ProductPool;
}

export interface WinbackPassResult {
  /** Contacts whose orders say they lapsed (before consent, journeys and products were checked). */
  lapsedByOrders: number;
  started: number;
  /** Why the others were not enrolled: a reason of engine/winback.ts, `no_products`, or `blocked` (arbitration). */
  skipped: Record<string, number>;
  chunks: number;
}

/**
 * The daily win-back pass, set-based: the candidate pool is read once; lapsed contacts come in
 * keyset chunks of `chunkSize` from a grouped scan of their orders (winback/lapsed.ts), so memory
 * holds one chunk, never every contact. For each chunk: consent from the ledger, active journeys
 * and the last win-back (grouped reads), the pure verdict and product choice (engine/winback.ts),
 * the chunk's paid lines, then one transaction that locks the chunk's contacts and starts their
 * journeys (winback/enroll-many.ts). Idempotent: the enrollment's unique key is the contact and
 * the pass's day, and a journey begun within `repeat_after` keeps another from starting.
 */
export async function runWinbackPass(
  db: Db,
  storeId: number,
  settings: LaneSettings,
  salt: string,
  now: Date,
  options: WinbackPassOptions = {},
): Promise<WinbackPassResult> {
  const result: WinbackPassResult = { lapsedByOrders: 0, started: 0, skipped: {}, chunks: 0 };
  if (!settings.enabled) return result;
  const size = options.chunkSize ?? WINBACK_CHUNK;
  const skip = (reason: string, n = 1) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + n;
  };
  const pool = await (options.pool ?? recentProductsPool)(db, storeId, now);
  const cutoff = lapseCutoff(settings, now);
  let after = 0;
  for (;;) {
    const chunk = await lapsedChunk(db, storeId, cutoff, after, size);
    if (chunk.length === 0) break;
    result.chunks++;
    result.lapsedByOrders += chunk.length;
    after = chunk[chunk.length - 1]!.contactId;
    const ids = chunk.map((c) => c.contactId);
    const [consents, journeys] = await Promise.all([consentsOf(db, storeId, ids), journeyFactsOf(db, storeId, ids)]);
    const lapsed: { contactId: number; verdict: Extract<LapseVerdict, { kind: 'lapsed' }> }[] = [];
    for (const row of chunk) {
      const journey = journeys.get(row.contactId);
      const verdict = lapseOf(
        {
          contactId: row.contactId,
          marketingConsent: consents.get(row.contactId)?.marketing.granted === true,
          lastPaidAt: row.lastPaidAt,
          lastOrderAt: row.lastOrderAt,
          lastWinbackAt: journey?.lastWinbackAt ?? null,
          activeLanes: journey?.activeLanes ?? [],
        },
        settings,
        now,
      );
      if (verdict.kind === 'lapsed') lapsed.push({ contactId: row.contactId, verdict });
      else skip(verdict.reason);
    }
    const purchases = await purchasesOf(
      db,
      storeId,
      lapsed.map((l) => l.contactId),
    );
    const planned: PlannedWinback[] = [];
    for (const { contactId, verdict } of lapsed) {
      const plan = planWinback(
        settings,
        { contactId, lapsedAt: verdict.lapsedAt, lines: purchases.get(contactId) ?? [] },
        pool,
        salt,
        now,
      );
      if (plan) planned.push({ contactId, plan });
      else skip('no_products');
    }
    const started = await withTransaction(db, (trx) => enrollWinbacks(trx, storeId, planned, now));
    result.started += started.length;
    if (planned.length > started.length) skip('blocked', planned.length - started.length);
    if (chunk.length < size) break;
  }
  return result;
}
