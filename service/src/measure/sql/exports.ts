import type { Db } from '../../db/database';
import type { CsvValue } from '../csv';
import { maskPhone } from '../mask';

/**
 * The CSV exports' rows, streamed from the database in chunks (never the whole table in memory):
 * messages queued in [from, to), and attributed orders (attributions) whose winning touch — the
 * click or the delivery — is in [from, to). Phones are masked, as on the dashboard; the contact
 * id links a row to the contact's timeline.
 */
export const MESSAGE_COLUMNS = [
  'message_id',
  'created_at',
  'lane',
  'step',
  'template',
  'category',
  'state',
  'contact_id',
  'phone',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'error_code',
  'pricing_billable',
  'pricing_category',
] as const;

export const ORDER_COLUMNS = [
  'order_id',
  'kind',
  'lane',
  'step',
  'message_id',
  'enrollment_id',
  'touched_at',
  'amount',
  'currency',
  'refunded',
  'coupon_code',
  'order_status',
  'order_total',
  'placed_at',
] as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const CHUNK = 1000;

export async function* messageRows(db: Db, storeId: number, from: Date, to: Date): AsyncGenerator<CsvValue[]> {
  const stream = db
    .selectFrom('messages')
    .select([
      'id',
      'created_at',
      'lane',
      'step',
      'template',
      'category',
      'state',
      'contact_id',
      'phone',
      'sent_at',
      'delivered_at',
      'read_at',
      'failed_at',
      'error_code',
      'pricing_billable',
      'pricing_category',
    ])
    .where('store_id', '=', storeId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .stream(CHUNK);
  for await (const m of stream) {
    yield [
      Number(m.id),
      m.created_at.toISOString(),
      m.lane,
      m.step,
      m.template,
      m.category,
      m.state,
      m.contact_id,
      maskPhone(m.phone),
      iso(m.sent_at),
      iso(m.delivered_at),
      iso(m.read_at),
      iso(m.failed_at),
      m.error_code,
      m.pricing_billable === null ? null : Boolean(m.pricing_billable),
      m.pricing_category,
    ];
  }
}

export async function* orderRows(db: Db, storeId: number, from: Date, to: Date): AsyncGenerator<CsvValue[]> {
  const stream = db
    .selectFrom('attributions as a')
    .leftJoin('orders as o', (join) =>
      join.onRef('o.store_id', '=', 'a.store_id').onRef('o.order_id', '=', 'a.order_id'),
    )
    .select([
      'a.order_id',
      'a.kind',
      'a.lane',
      'a.step',
      'a.message_id',
      'a.enrollment_id',
      'a.touched_at',
      'a.amount',
      'a.currency',
      'a.refunded',
      'a.coupon_code',
      'o.status',
      'o.total',
      'o.placed_at',
    ])
    .where('a.store_id', '=', storeId)
    .where('a.touched_at', '>=', from)
    .where('a.touched_at', '<', to)
    .orderBy('a.touched_at')
    .stream(CHUNK);
  for await (const a of stream) {
    yield [
      Number(a.order_id),
      a.kind,
      a.lane,
      a.step,
      Number(a.message_id),
      Number(a.enrollment_id),
      a.touched_at.toISOString(),
      Number(a.amount),
      a.currency,
      Boolean(a.refunded),
      a.coupon_code,
      a.status,
      a.total === null ? null : Number(a.total),
      iso(a.placed_at),
    ];
  }
}
