import type { Db } from '../../db/database';

/**
 * A contact's timeline (issue 12): every fact the sidecar holds about them, oldest first — consent
 * given and withdrawn, journeys begun (lane, cell), each decision with its reason code
 * (enrollment_history), each message and how far it got, clicks, orders and what earned them.
 * Each list is capped at {@link PER_KIND} newest entries, so a very busy contact still answers fast
 * (all through the contact keys: consent_ledger_contact, enrollments_contact, messages_contact_id,
 * clicks_contact, orders_contact).
 */
export const PER_KIND = 500;

export type TimelineEntry =
  | { at: string; kind: 'consent'; action: string; scope: string; source: string; text_version: number }
  | {
      at: string;
      kind: 'enrolled';
      enrollment_id: number;
      lane: string;
      cell: string;
      subject_kind: string;
      subject_id: string;
      state: string;
      stop_reason: string | null;
    }
  | {
      at: string;
      kind: 'decision';
      enrollment_id: number;
      lane: string;
      decision: string;
      step: number | null;
      reason: string | null;
      detail: string | null;
    }
  | {
      at: string;
      kind: 'message';
      message_id: number;
      lane: string;
      step: number;
      template: string | null;
      state: string;
      statuses: {
        sent_at: string | null;
        delivered_at: string | null;
        read_at: string | null;
        failed_at: string | null;
      };
      error_code: string | null;
      error_message: string | null;
    }
  | { at: string; kind: 'click'; message_id: number; opens: number }
  | {
      at: string;
      kind: 'order';
      order_id: number;
      status: string | null;
      total: number | null;
      currency: string | null;
      paid_at: string | null;
      attribution: { kind: string; lane: string; step: number; message_id: number; amount: number } | null;
    };

export interface TimelineContact {
  id: number;
  phone: string;
  email: string | null;
  first_name: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The contacts a query names: a phone (E.164) or an email; at most 5 (an email may name several). */
export async function findContacts(
  db: Db,
  storeId: number,
  q: { phone?: string; email?: string },
): Promise<TimelineContact[]> {
  let query = db.selectFrom('contacts').select(['id', 'phone', 'email', 'first_name']).where('store_id', '=', storeId);
  query = q.phone !== undefined ? query.where('phone', '=', q.phone) : query.where('email', '=', q.email ?? '');
  return query.orderBy('id').limit(5).execute();
}

export async function contactTimeline(db: Db, storeId: number, contactId: number): Promise<TimelineEntry[]> {
  const [consents, enrollments, messages, clicks, orders] = await Promise.all([
    db
      .selectFrom('consent_ledger')
      .select(['occurred_at', 'action', 'scope', 'source', 'text_version'])
      .where('store_id', '=', storeId)
      .where('contact_id', '=', contactId)
      .orderBy('id', 'desc')
      .limit(PER_KIND)
      .execute(),
    db
      .selectFrom('enrollments')
      .select(['id', 'created_at', 'lane', 'cell', 'subject_kind', 'subject_id', 'state', 'stop_reason'])
      .where('store_id', '=', storeId)
      .where('contact_id', '=', contactId)
      .orderBy('id', 'desc')
      .limit(PER_KIND)
      .execute(),
    db
      .selectFrom('messages')
      .select([
        'id',
        'created_at',
        'lane',
        'step',
        'template',
        'state',
        'sent_at',
        'delivered_at',
        'read_at',
        'failed_at',
        'error_code',
        'error_message',
      ])
      .where('store_id', '=', storeId)
      .where('contact_id', '=', contactId)
      .orderBy('id', 'desc')
      .limit(PER_KIND)
      .execute(),
    db
      .selectFrom('clicks')
      .select(['message_id', 'clicked_at', 'opens'])
      .where('store_id', '=', storeId)
      .where('contact_id', '=', contactId)
      .orderBy('clicked_at', 'desc')
      .limit(PER_KIND)
      .execute(),
    db
      .selectFrom('orders as o')
      .leftJoin('attributions as a', (join) =>
        join.onRef('a.store_id', '=', 'o.store_id').onRef('a.order_id', '=', 'o.order_id'),
      )
      .select(['o.order_id', 'o.status', 'o.total', 'o.currency', 'o.placed_at', 'o.paid_at', 'o.created_at'])
      .select(['a.kind', 'a.lane', 'a.step', 'a.message_id', 'a.amount'])
      .where('o.store_id', '=', storeId)
      .where('o.contact_id', '=', contactId)
      .orderBy('o.placed_at', 'desc')
      .limit(PER_KIND)
      .execute(),
  ]);
  const laneOf = new Map(enrollments.map((e) => [Number(e.id), e.lane]));
  const ids = [...laneOf.keys()];
  const history = ids.length
    ? await db
        .selectFrom('enrollment_history')
        .select(['enrollment_id', 'at', 'kind', 'step', 'reason', 'detail'])
        .where('store_id', '=', storeId)
        .where('enrollment_id', 'in', ids)
        .orderBy('id', 'desc')
        .limit(PER_KIND * 4)
        .execute()
    : [];
  const entries: TimelineEntry[] = [
    ...consents.map((c) => ({
      at: c.occurred_at.toISOString(),
      kind: 'consent' as const,
      action: c.action,
      scope: c.scope,
      source: c.source,
      text_version: c.text_version,
    })),
    ...enrollments.map((e) => ({
      at: e.created_at.toISOString(),
      kind: 'enrolled' as const,
      enrollment_id: Number(e.id),
      lane: e.lane,
      cell: e.cell,
      subject_kind: e.subject_kind,
      subject_id: e.subject_id,
      state: e.state,
      stop_reason: e.stop_reason,
    })),
    ...history.map((h) => ({
      at: h.at.toISOString(),
      kind: 'decision' as const,
      enrollment_id: Number(h.enrollment_id),
      lane: laneOf.get(Number(h.enrollment_id)) ?? '',
      decision: h.kind,
      step: h.step,
      reason: h.reason,
      detail: h.detail,
    })),
    ...messages.map((m) => ({
      at: m.created_at.toISOString(),
      kind: 'message' as const,
      message_id: Number(m.id),
      lane: m.lane,
      step: m.step,
      template: m.template,
      state: m.state,
      statuses: {
        sent_at: iso(m.sent_at),
        delivered_at: iso(m.delivered_at),
        read_at: iso(m.read_at),
        failed_at: iso(m.failed_at),
      },
      error_code: m.error_code,
      error_message: m.error_message,
    })),
    ...clicks.map((c) => ({
      at: c.clicked_at.toISOString(),
      kind: 'click' as const,
      message_id: Number(c.message_id),
      opens: Number(c.opens),
    })),
    ...orders.map((o) => ({
      at: (o.placed_at ?? o.created_at).toISOString(),
      kind: 'order' as const,
      order_id: Number(o.order_id),
      status: o.status,
      total: o.total === null ? null : Number(o.total),
      currency: o.currency,
      paid_at: iso(o.paid_at),
      attribution:
        o.kind && o.lane !== null && o.step !== null && o.message_id !== null && o.amount !== null
          ? { kind: o.kind, lane: o.lane, step: o.step, message_id: Number(o.message_id), amount: Number(o.amount) }
          : null,
    })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
