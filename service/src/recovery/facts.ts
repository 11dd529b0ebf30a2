import { sql } from 'kysely';
import type { Trx } from '../db/database';
import type { CartsTable, EnrollmentsTable, OrdersTable } from '../db/schema';
import type { Selectable } from 'kysely';
import { isSuperseded } from '../engine/arbitration';
import type { SubjectFacts } from '../engine/subject';
import { hasOpenHandoff } from '../webhooks/handoff';
import { readSubject, type Offer } from './facts-subject';

export const CROSS_CHANNEL_WINDOW_MS = 3600 * 1000;
export const MARKETING_LIMIT_WINDOW_MS = 24 * 3600 * 1000;
/**
 * Messages that went, or are about to go, count against caps; so do those that may have gone
 * (`unknown`, and `lost`: no status ever came, but when in doubt the shopper got it).
 */
const COUNTED = ['queued', 'submitting', 'submitted', 'sent', 'delivered', 'read', 'unknown', 'lost'] as const;

export interface StepFacts {
  contact: {
    id: number;
    phone: string;
    email: string | null;
    customerId: number | null;
    firstName: string | null;
    locale: string | null;
    /** The zone recorded for the contact, if any (engine/contact-zone.ts tells it otherwise). */
    timeZone: string | null;
  };
  /** The subject's plain facts, for engine/subject.ts's verdict. */
  subject: SubjectFacts;
  /** The cart (cart journeys; null otherwise or when it is gone). */
  cart: Selectable<CartsTable> | null;
  /** The unpaid order (payment recovery; null otherwise or when it is gone). */
  order: Selectable<OrdersTable> | null;
  /** What the journey offers (browse and win-back), from the enrollment. */
  offer: Offer | null;
  /** A journey of a higher lane is active for the contact (engine/arbitration.ts). */
  superseded: boolean;
  marketingSentInWindow: number;
  laneSentInWindow: number;
  providerMarketingLimited: boolean;
  recentCrossChannel: boolean;
  /** The shopper asked for a person and no one has closed it yet (webhooks/handoff.ts). */
  handoffActive: boolean;
}

/**
 * The live facts a step is decided on, read inside the step's transaction. The contact's row is
 * locked first (FOR UPDATE), so two steps for one contact are decided one after the other and a
 * cap can never be overrun by a race: the count and the new message commit together.
 */
export async function readStepFacts(
  trx: Trx,
  enrollment: Selectable<EnrollmentsTable>,
  windows: { capMs: number; laneCapMs: number | null },
  now: Date,
): Promise<StepFacts | null> {
  const storeId = enrollment.store_id;
  const contact = await trx
    .selectFrom('contacts')
    .select(['id', 'phone', 'email', 'customer_id', 'first_name', 'locale', 'time_zone'])
    .where('id', '=', enrollment.contact_id)
    .forUpdate()
    .executeTakeFirst();
  if (!contact) return null;
  const subject = await readSubject(trx, enrollment, contact.id);
  // The contact's other active journeys, read with the contact locked: a higher lane's displaces this one.
  const others = await trx
    .selectFrom('enrollments')
    .select('lane')
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contact.id)
    .where('state', '=', 'active')
    .where('id', '!=', enrollment.id)
    .execute();
  const since = (ms: number) => new Date(now.getTime() - ms);
  const { rows } = await sql<{ marketing: number; lane: number; limited: number }>`
    SELECT
      COALESCE(SUM(counted AND category = 'marketing' AND created_at >= ${since(windows.capMs)}), 0) AS marketing,
      COALESCE(SUM(counted AND lane = ${enrollment.lane} AND created_at >= ${since(windows.laneCapMs ?? 0)}), 0) AS lane,
      COALESCE(SUM(error_code = '131049' AND updated_at >= ${since(MARKETING_LIMIT_WINDOW_MS)}), 0) AS limited
    FROM (
      SELECT category, lane, created_at, updated_at, error_code, state IN (${sql.join(COUNTED)}) AS counted
      FROM messages
      WHERE store_id = ${storeId} AND contact_id = ${contact.id}
        AND created_at >= ${since(Math.max(windows.capMs, windows.laneCapMs ?? 0, MARKETING_LIMIT_WINDOW_MS))}
    ) AS recent`.execute(trx);
  const nudge = await trx
    .selectFrom('channel_nudges')
    .select('id')
    .where('store_id', '=', storeId)
    .where('subject_kind', '=', enrollment.subject_kind)
    .where('subject_id', '=', enrollment.subject_id)
    .where('sent_at', '>=', since(CROSS_CHANNEL_WINDOW_MS))
    .limit(1)
    .executeTakeFirst();
  // Read with the contact locked: a handoff committed before this step took the lock is seen.
  const handoffActive = await hasOpenHandoff(trx, storeId, contact.id);
  const counts = rows[0];
  return {
    contact: {
      id: contact.id,
      phone: contact.phone,
      email: contact.email,
      customerId: contact.customer_id,
      firstName: contact.first_name,
      locale: contact.locale,
      timeZone: contact.time_zone,
    },
    ...subject,
    superseded: isSuperseded(
      enrollment.lane,
      others.map((o) => o.lane),
    ),
    marketingSentInWindow: Number(counts?.marketing ?? 0),
    laneSentInWindow: windows.laneCapMs === null ? 0 : Number(counts?.lane ?? 0),
    providerMarketingLimited: Number(counts?.limited ?? 0) > 0,
    recentCrossChannel: nudge !== undefined,
    handoffActive,
  };
}
