import { sql } from 'kysely';
import type { Db } from '../src/db/database';

/**
 * The messages `bench:dispatch` queues, as the recovery engine would: one per enrollment, each to
 * its own number, a `cart_reminder_1` send the fake accepts. They are inserted due in the far
 * future (so the dispatcher cannot touch them while the insert runs), then moved, in one
 * UPDATE, to due times spread from `t0`: the dispatcher, already running, sees a backlog arrive.
 */

const STORE_ID = 1;
const INSERT_CHUNK = 500;
/** Where the rows wait until the measured run begins. */
const PARKED_AT_MS = Date.UTC(2099, 0, 1);

const text = (value: string) => ({ type: 'text', text: value });

/** The components of a `cart_reminder_1` send as the sidecar's renderer fills it (test/support/cart-reminder.ts). */
export const CART_REMINDER = {
  template: 'cart_reminder_1',
  language: 'en',
  components: [
    { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/p.jpg' } }] },
    {
      type: 'body',
      parameters: [
        text('Anna'),
        text('2'),
        text('Blue Mug'),
        { type: 'currency', currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1299000 } },
      ],
    },
    { type: 'button', sub_type: 'url', index: '0', parameters: [text('Ab3kQ9')] },
    { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
  ],
};

/** A distinct valid Indian mobile number per message: +9198 and eight digits. */
export function benchPhone(index: number): string {
  return `+9198${String(10_000_000 + index).padStart(8, '0')}`;
}

/** Message i's due time, in ms after the start of the spread. */
export function dueOffsetMs(index: number, count: number, spreadMs: number): number {
  return Math.floor((index * spreadMs) / count);
}

/** Inserts `count` queued messages, parked in the far future, `spreadMs` apart first to last. */
export async function insertParked(db: Db, count: number, spreadMs: number): Promise<void> {
  const payload = JSON.stringify(CART_REMINDER.components);
  const now = new Date();
  for (let start = 0; start < count; start += INSERT_CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + INSERT_CHUNK); i++) {
      rows.push({
        store_id: STORE_ID,
        enrollment_id: i + 1,
        step: 0,
        lane: 'abandoned_cart',
        category: 'marketing' as const,
        contact_id: i + 1,
        phone: benchPhone(i),
        state: 'queued' as const,
        due_at: new Date(PARKED_AT_MS + dueOffsetMs(i, count, spreadMs)),
        template: CART_REMINDER.template,
        language: CART_REMINDER.language,
        payload,
        created_at: now,
        updated_at: now,
      });
    }
    await db.insertInto('messages').values(rows).execute();
  }
}

/**
 * Moves every parked message so the spread starts at `t0Ms`, and returns each message's due
 * time (ms) by id, as stored (DATETIME(3)).
 */
export async function releaseParked(db: Db, t0Ms: number): Promise<Map<number, number>> {
  const shiftUs = (t0Ms - PARKED_AT_MS) * 1000;
  await sql`UPDATE messages SET due_at = DATE_ADD(due_at, INTERVAL ${shiftUs} MICROSECOND) WHERE state = 'queued'`.execute(
    db,
  );
  const rows = await db.selectFrom('messages').select(['id', 'due_at']).execute();
  return new Map(rows.map((r) => [Number(r.id), r.due_at.getTime()]));
}

/** Messages not yet in a final state (still queued, or claimed and not yet answered). */
export async function countOpen(db: Db): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', ['queued', 'submitting'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface FinalStates {
  /** Messages by state. */
  states: Map<string, number>;
  /** Sends tried in all (a message retried after a 130429 counts each try). */
  attempts: number;
  /** Messages tried more than once. */
  retried: number;
}

export async function finalStates(db: Db): Promise<FinalStates> {
  const byState = await db
    .selectFrom('messages')
    .select(['state'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('state')
    .execute();
  const totals = await db
    .selectFrom('messages')
    .select((eb) => [
      eb.fn.sum<number>('attempts').as('attempts'),
      eb.fn.sum<number>(sql<number>`attempts > 1`).as('retried'),
    ])
    .executeTakeFirst();
  return {
    states: new Map(byState.map((r) => [String(r.state), Number(r.n)])),
    attempts: Number(totals?.attempts ?? 0),
    retried: Number(totals?.retried ?? 0),
  };
}
