import type { Db } from '../../db/database';
import { maskPhone } from '../mask';

export interface LatestMessage {
  id: number;
  lane: string;
  step: number;
  template: string | null;
  category: string;
  state: string;
  /** Masked (measure/mask.ts). */
  phone: string;
  contact_id: number;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  error_code: string | null;
  clicked: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The newest messages, newest first, `limit` of them with an id below `before` (the cursor: the
 * last id of the previous page). Reads the key `messages_newest` (store_id, id) backwards.
 */
export async function latestMessages(
  db: Db,
  storeId: number,
  limit: number,
  before: number | null,
): Promise<{ messages: LatestMessage[]; next_before: number | null }> {
  let query = db
    .selectFrom('messages as m')
    .select([
      'm.id',
      'm.lane',
      'm.step',
      'm.template',
      'm.category',
      'm.state',
      'm.phone',
      'm.contact_id',
      'm.created_at',
      'm.sent_at',
      'm.delivered_at',
      'm.read_at',
      'm.failed_at',
      'm.error_code',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('clicks as c')
            .select('c.id')
            .whereRef('c.store_id', '=', 'm.store_id')
            .whereRef('c.message_id', '=', 'm.id'),
        )
        .as('clicked'),
    )
    .where('m.store_id', '=', storeId);
  if (before !== null) query = query.where('m.id', '<', before);
  const rows = await query.orderBy('m.id', 'desc').limit(limit).execute();
  const messages = rows.map((r) => ({
    id: Number(r.id),
    lane: r.lane,
    step: r.step,
    template: r.template,
    category: r.category,
    state: r.state,
    phone: maskPhone(r.phone),
    contact_id: r.contact_id,
    created_at: r.created_at.toISOString(),
    sent_at: iso(r.sent_at),
    delivered_at: iso(r.delivered_at),
    read_at: iso(r.read_at),
    failed_at: iso(r.failed_at),
    error_code: r.error_code,
    clicked: Boolean(Number(r.clicked)),
  }));
  const last = messages[messages.length - 1];
  return { messages, next_before: messages.length === limit && last ? last.id : null };
}
