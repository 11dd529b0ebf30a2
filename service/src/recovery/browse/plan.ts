import type { Db } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import { consentsOf } from '../../consent/ledger';
import {
  BROWSE_LANE,
  BROWSE_SUBJECT,
  browseIdleSince,
  browseJourneysSince,
  browseLookbackSince,
  browseRepeatSince,
  browseSubjectId,
  planBrowse,
} from '../../engine/browse';
import type { LaneSettings } from '../../engine/lanes';
import { enroll } from '../enroll';
import { browseCandidates } from './candidates';
import { cartsOf } from './carts';
import { journeysOf } from './journeys';
import { ordersOf } from './orders';
import { viewsOf } from './views';

export { BROWSE_LANE } from '../../engine/browse';

/**
 * Starts `browse_abandonment` journeys (engine/browse.ts says who, about which product, and in
 * which order it checks). Set-based: the candidates come from one grouped scan of the lookback's
 * views (browse/candidates.ts), at most `limit` contacts, newest idle first; their facts —
 * consent, views, carts, orders, journeys — in one grouped read each; then the pure verdict per
 * contact, and each journey starts in its own transaction through recovery/enroll.ts, which locks
 * the contact's row, arbitrates (one journey at a time) and, under that lock, checks again the
 * once-per-product window and that no browse journey began since the chosen view (`notIfSince`),
 * so two planners racing start one journey.
 * The subject is `${contactId}:${productId}`, its episode the chosen view's time; the offer the
 * product as last seen. Idempotent: a second pass starts nothing. Returns how many began.
 */
export async function planBrowseEnrollments(
  db: Db,
  storeId: number,
  settings: LaneSettings,
  salt: string,
  now: Date,
  limit = 500,
): Promise<number> {
  if (!settings.enabled) return 0;
  const since = browseLookbackSince(now);
  const repeatSince = browseRepeatSince(settings, now);
  const ids = await browseCandidates(
    db,
    storeId,
    { since, idleSince: browseIdleSince(settings, now), repeatSince },
    limit,
  );
  if (ids.length === 0) return 0;
  const [consents, views, carts, orders, journeys] = await Promise.all([
    consentsOf(db, storeId, ids),
    viewsOf(db, storeId, ids, since),
    cartsOf(db, storeId, ids, since),
    ordersOf(db, storeId, ids, since),
    journeysOf(db, storeId, ids, browseJourneysSince(settings, now)),
  ]);
  let started = 0;
  for (const contactId of ids) {
    const verdict = planBrowse(
      {
        contactId,
        marketingConsent: consents.get(contactId)?.[settings.category].granted === true,
        views: views.get(contactId) ?? [],
        carts: carts.get(contactId) ?? [],
        orders: orders.get(contactId) ?? [],
        activeLanes: journeys.get(contactId)?.activeLanes ?? [],
        browseJourneys: journeys.get(contactId)?.browseJourneys ?? [],
      },
      settings,
      salt,
      now,
    );
    if (verdict.kind !== 'start') continue;
    const result = await withTransaction(db, (trx) =>
      enroll(
        trx,
        {
          storeId,
          lane: BROWSE_LANE,
          contactId,
          subject: {
            kind: BROWSE_SUBJECT,
            id: browseSubjectId(contactId, verdict.productId),
            episodeAt: verdict.anchorAt,
          },
          cell: verdict.cell,
          anchorAt: verdict.anchorAt,
          nextDueAt: verdict.nextDueAt,
          offer: JSON.stringify(verdict.offer),
          notIfSince: { since: repeatSince, anySubjectFrom: verdict.anchorAt },
        },
        now,
      ),
    );
    if (result.kind === 'started') started++;
  }
  return started;
}
