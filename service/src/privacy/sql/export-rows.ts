import type { Db } from '../../db/database';
import type { ExportRows } from '../export-items';
import type { Subject } from './subject';

/** Reads every row of the subject, in the order the export lists them. */
export async function readExportRows(db: Db, storeId: number, s: Subject): Promise<ExportRows> {
  const store = await db.selectFrom('stores').select('locale').where('id', '=', storeId).executeTakeFirst();
  const rows: ExportRows = {
    storeLocale: store?.locale ?? null,
    contacts: [],
    consents: [],
    carts: [],
    orders: [],
    messages: [],
    productViews: [],
    nudges: [],
    handoffs: [],
  };
  if (s.contactIds.length) {
    rows.contacts = await db
      .selectFrom('contacts')
      .select([
        'id',
        'phone',
        'email',
        'first_name',
        'customer_id',
        'country',
        'locale',
        'time_zone',
        'created_at',
        'updated_at',
      ])
      .where('id', 'in', s.contactIds)
      .orderBy('id')
      .execute();
  }
  if (s.consentIds.length) {
    rows.consents = await db
      .selectFrom('consent_ledger')
      .select(['id', 'phone', 'email', 'scope', 'action', 'source', 'text', 'text_version', 'occurred_at'])
      .where('id', 'in', s.consentIds)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
  }
  if (s.cartKeys.length) {
    rows.carts = await db
      .selectFrom('carts')
      .select([
        'cart_key',
        'status',
        'email',
        'currency',
        'locale',
        'total',
        'lines',
        'checkout_details',
        'started_at',
        'content_at',
      ])
      .where('store_id', '=', storeId)
      .where('cart_key', 'in', s.cartKeys)
      .orderBy('content_at')
      .orderBy('cart_key')
      .execute();
  }
  if (s.orderIds.length) {
    rows.orders = await db
      .selectFrom('orders')
      .select([
        'order_id',
        'status',
        'phone',
        'email',
        'currency',
        'total',
        'lines',
        'coupons',
        'payment_method',
        'placed_at',
        'paid_at',
      ])
      .where('store_id', '=', storeId)
      .where('order_id', 'in', s.orderIds)
      .orderBy('placed_at')
      .orderBy('order_id')
      .execute();
  }
  if (s.messageIds.length) {
    rows.messages = await db
      .selectFrom('messages')
      .select([
        'id',
        'lane',
        'step',
        'state',
        'phone',
        'template',
        'submitted_at',
        'sent_at',
        'delivered_at',
        'read_at',
      ])
      .where('id', 'in', s.messageIds)
      .orderBy('id')
      .execute();
  }
  if (s.productViewIds.length) {
    rows.productViews = await db
      .selectFrom('product_views')
      .select(['id', 'name', 'price', 'currency', 'url', 'viewed_at'])
      .where('id', 'in', s.productViewIds)
      .orderBy('viewed_at')
      .orderBy('id')
      .execute();
  }
  if (s.nudgeIds.length) {
    rows.nudges = await db
      .selectFrom('channel_nudges')
      .select(['id', 'channel', 'subject_kind', 'sent_at'])
      .where('id', 'in', s.nudgeIds)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
  }
  if (s.contactIds.length) {
    rows.handoffs = await db
      .selectFrom('handoffs')
      .select(['id', 'source', 'text', 'requested_at', 'closed_at'])
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', s.contactIds)
      .orderBy('requested_at')
      .orderBy('id')
      .execute();
  }
  return rows;
}
