import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import { consentsOf } from '../../consent/ledger';
import { freeToStart } from '../sql/free-to-start';
import { holdoutCell } from '../../engine/holdout';
import type { LaneSettings } from '../../engine/lanes';
import {
  FAILED_STATUS,
  PAYMENT_LANE,
  PAYMENT_SUBJECT,
  PENDING_STATUS,
  paymentLookbackSince,
  paymentStartOf,
  pendingPlacedBefore,
} from '../../engine/payment-recovery';
import { readStoreProfile, type StoreDefaults } from '../../store/profile';
import { enroll } from '../enroll';

export { PAYMENT_LANE } from '../../engine/payment-recovery';

/** A status as WooCommerce may report it: bare or with its `wc-` prefix (the column's collation ignores case). */
const spellings = (status: string): string[] => [status, `wc-${status}`];

/**
 * Only the store's `wc_pending_order_email` is read from its profile here, which no configured
 * default stands in for: these values are never used.
 */
const UNUSED_DEFAULTS: StoreDefaults = { timeZone: 'UTC', currency: 'EUR', locale: 'en' };

/**
 * Starts `payment_recovery` journeys (engine/payment-recovery.ts says who and when): orders the
 * store reported as `failed`, or still `pending` after the lane's inactivity delay, placed within
 * the lookback, with a contact and a pay link, not paid or refunded, and no journey of this lane
 * for the order yet.
 *
 * Set-based: one query finds the candidates (everything but consent is decided in SQL, so orders
 * that can never start are not read), in keyset chunks of `limit` by (placed_at, order_id) so
 * that orders that cannot start (no utility consent) never crowd out the ones that can; the
 * chunk's consent is read in one go (consent/ledger.ts), the pure core decides each order, and
 * each start is its own transaction through recovery/enroll.ts: the contact's row locked,
 * arbitration (payment recovery outranks every lane, so a browse, win-back or cart journey still
 * running for the contact is superseded; a cart journey for the same shopper normally stopped as
 * `payment_pending` already), and the enrollment's unique key.
 *
 * Idempotent and safe with several processes: "no journey for this order" is checked on the
 * order alone, not its episode (an earlier fact arriving late can move `placed_at`), and a contact
 * with an active payment journey (another order) waits until it ends; two passes at once take
 * turns on the contact's row, so the second finds the first's journey and starts nothing.
 * Returns how many journeys began.
 */
export async function planPaymentEnrollments(
  db: Db,
  storeId: number,
  settings: LaneSettings,
  salt: string,
  now: Date,
  limit = 500,
): Promise<number> {
  if (!settings.enabled) return 0;
  const { wcPendingOrderEmail } = await readStoreProfile(db, storeId, UNUSED_DEFAULTS);
  const failed = spellings(FAILED_STATUS);
  // WooCommerce reminds about pending orders itself when its email is on: only failed ones are ours.
  const statuses = wcPendingOrderEmail === true ? failed : [...failed, ...spellings(PENDING_STATUS)];
  const placedBefore = pendingPlacedBefore(settings, now);
  let after: { placedAt: Date; orderId: number } | null = null;
  let started = 0;
  for (;;) {
    const chunk = await candidates(db, storeId, { statuses, failed, placedBefore, now, after, limit });
    if (chunk.length === 0) break;
    const last = chunk[chunk.length - 1]!;
    after = { placedAt: last.placed_at as Date, orderId: last.order_id };
    const consents = await consentsOf(db, storeId, [...new Set(chunk.map((o) => o.contact_id as number))]);
    for (const order of chunk) {
      const start = paymentStartOf(
        {
          status: order.status,
          placedAt: order.placed_at as Date,
          failedAt: order.failed_at,
          paidAt: order.paid_at,
          refundedAt: order.refunded_at,
          contactId: order.contact_id,
          payUrl: order.pay_url,
          utilityConsent: order.contact_id !== null && consents.get(order.contact_id)?.utility.granted === true,
          wcPendingOrderEmail,
          // The query left out every order that has a journey of this lane.
          alreadyEnrolled: false,
        },
        settings,
        now,
      );
      if (start.kind !== 'start') continue;
      const result = await withTransaction(db, (trx) =>
        enroll(
          trx,
          {
            storeId,
            lane: PAYMENT_LANE,
            contactId: start.contactId,
            subject: { kind: PAYMENT_SUBJECT, id: String(order.order_id), episodeAt: order.placed_at as Date },
            cell: holdoutCell(String(start.contactId), PAYMENT_LANE, salt, settings.holdout_percent),
            anchorAt: start.anchorAt,
            nextDueAt: start.nextDueAt,
          },
          now,
        ),
      );
      if (result.kind === 'started') started++;
    }
    if (chunk.length < limit) break;
  }
  return started;
}

interface CandidateQuery {
  /** The statuses that may start (spelled both ways). */
  statuses: string[];
  failed: string[];
  /** A pending order that never failed must have been placed at or before this. */
  placedBefore: Date;
  now: Date;
  /** The keyset: the last candidate of the chunk before. */
  after: { placedAt: Date; orderId: number } | null;
  limit: number;
}

/**
 * One keyset chunk of orders that may start, by (placed_at, order_id): the index
 * `orders_placed (store_id, placed_at)` bounds the scan to the lookback.
 */
function candidates(db: Db, storeId: number, q: CandidateQuery) {
  let query = db
    .selectFrom('orders as o')
    .select([
      'o.order_id',
      'o.contact_id',
      'o.status',
      'o.pay_url',
      'o.placed_at',
      'o.paid_at',
      'o.failed_at',
      'o.refunded_at',
    ])
    .where('o.store_id', '=', storeId)
    .where('o.status', 'in', q.statuses)
    .where('o.placed_at', '>=', paymentLookbackSince(q.now))
    .where('o.contact_id', 'is not', null)
    .where('o.pay_url', 'is not', null)
    .where('o.pay_url', '!=', '')
    .where('o.paid_at', 'is', null)
    .where('o.refunded_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('o.status', 'in', q.failed),
        eb('o.failed_at', 'is not', null),
        eb('o.placed_at', '<=', q.placedBefore),
      ]),
    )
    // One journey per order, ever: matched on the order alone, whatever its episode.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollments as e')
            .select('e.id')
            .whereRef('e.store_id', '=', 'o.store_id')
            .where('e.lane', '=', PAYMENT_LANE)
            .where('e.subject_kind', '=', PAYMENT_SUBJECT)
            .where('e.subject_id', '=', sql<string>`CAST(o.order_id AS CHAR)`),
        ),
      ),
    )
    // A contact in a payment journey for another order, or who asked for a person, waits for a
    // later pass (enroll.ts decides it again, locked): left out here, so such orders never fill a chunk.
    .where(freeToStart(PAYMENT_LANE, 'o.store_id', 'o.contact_id'));
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('o.placed_at', '>', after.placedAt),
        eb.and([eb('o.placed_at', '=', after.placedAt), eb('o.order_id', '>', after.orderId)]),
      ]),
    );
  }
  return query.orderBy('o.placed_at').orderBy('o.order_id').limit(q.limit).execute();
}
