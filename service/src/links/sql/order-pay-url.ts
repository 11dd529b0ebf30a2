import type { Selectable } from 'kysely';
import type { Trx } from '../../db/database';
import type { LinksTable } from '../../db/schema';

/** The pay link last reported for an order link's order (`subject_id` is the order id); null if none or no order. */
export async function orderPayUrl(trx: Trx, link: Selectable<LinksTable>): Promise<string | null> {
  const orderId = Number(link.subject_id);
  if (!Number.isSafeInteger(orderId) || orderId <= 0) return null;
  const order = await trx
    .selectFrom('orders')
    .select('pay_url')
    .where('store_id', '=', link.store_id)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return order?.pay_url ?? null;
}
