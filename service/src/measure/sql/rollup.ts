import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { PAID_STATUSES } from '../../engine/conversion';
import { RATE_CATEGORIES, recipientCountry, type RateCard } from '../rate-card';
import { num } from './bucket';
import { readRateCard } from './rate-card-store';

/**
 * The dashboard's roll-ups (migration 0017): the facts summed per UTC hour ("slot"), so that a
 * dashboard query reads a few thousand rows however many messages there are. `refreshRollups`
 * rebuilds every slot in which a fact changed since the last refresh (its watermark, in
 * `settings`), from the facts themselves, and is called before each dashboard query:
 *
 * - a message's slot (the hour it was queued) when the message changed (`messages_updated`), was
 *   clicked (`clicks_opened`) or its attribution was decided (`attributions_decided`);
 * - a journey's slot (the hour it began) when it changed (`enrollments_updated`);
 * - for an order that changed (`orders_updated`): the slots of its contact's messages of the 8 days
 *   before it (an attribution may have moved or gone) and of journeys of the 7 days before it (the
 *   lift's conversions, measure/sql/lift-facts.ts).
 *
 * The first refresh builds every slot, and so does the one after the rate card changed (a
 * message's cost is priced into its slot: measure/sql/rate-card-store.ts forgets the watermark). The watermark is the refresh's `now` less
 * {@link OVERLAP_MS}, so a fact committed a little late is still seen; facts are stamped with
 * `updated_at` = their writer's now. One refresh at a time per store (GET_LOCK), each slot's rows
 * replaced in one transaction, so a reader sees a slot whole, before or after.
 */
export const OVERLAP_MS = 10 * 60_000;
export const LIFT_WINDOW_DAYS = 7;
export const WATERMARK = 'measure_rollup_watermark';
const CHUNK = 400;

type Conn = Kysely<Database>;
const SLOT = (column: string) => sql`DATE_FORMAT(${sql.ref(column)}, '%Y-%m-%d %H:00:00')`;

/** The slots' filter on `column`: everything (null) or the listed hours. */
function slotFilter(column: string, slots: readonly string[] | null): RawBuilder<unknown> {
  if (slots === null) return sql`1 = 1`;
  const sorted = [...slots].sort();
  const first = sorted[0] as string;
  const last = new Date(`${sorted[sorted.length - 1] as string}Z`.replace(' ', 'T'));
  const end = new Date(last.getTime() + 3_600_000);
  return sql`${sql.ref(column)} >= ${new Date(`${first}Z`.replace(' ', 'T'))} AND ${sql.ref(column)} < ${end}
    AND ${SLOT(column)} IN (${sql.join(sorted.map((s) => sql.lit(s)))})`;
}

function slotRows(slots: readonly string[] | null) {
  return slots === null ? sql`` : sql`AND slot IN (${sql.join(slots.map((s) => sql.lit(s)))})`;
}

/**
 * The rate category a delivered message is billed at, in SQL, as measure/rate-card.ts's
 * `messageCostMicros` decides it: free (NULL) when its status said `billable: false` or a `free_…`
 * type; else the category Meta billed it as, else its template's.
 */
const BILLED_CATEGORY = sql`CASE WHEN m.pricing_billable = 0 OR m.pricing_type LIKE 'free%' THEN NULL
  ELSE CASE COALESCE(m.pricing_category, m.category)
    WHEN 'marketing_lite' THEN 'marketing' WHEN 'authentication_international' THEN 'authentication'
    ELSE COALESCE(m.pricing_category, m.category) END END`;

/** Learns the country of every phone prefix of the slots' messages not known yet (libphonenumber-js). */
async function learnPrefixes(c: Conn, storeId: number, slots: readonly string[] | null): Promise<void> {
  const { rows } = await sql<{ prefix: string; sample: string }>`
    SELECT LEFT(m.phone, 5) AS prefix, MIN(m.phone) AS sample FROM messages m
    WHERE m.store_id = ${storeId} AND ${slotFilter('m.created_at', slots)}
      AND NOT EXISTS (SELECT 1 FROM measure_prefixes p WHERE p.prefix = LEFT(m.phone, 5))
    GROUP BY prefix`.execute(c);
  if (rows.length === 0) return;
  await c
    .insertInto('measure_prefixes')
    .values(rows.map((r) => ({ prefix: r.prefix, country: recipientCountry(r.sample) })))
    .ignore()
    .execute();
}

/** Writes the rate card as rows SQL can join (before a full rebuild, which prices every slot anew). */
async function syncRates(c: Conn, storeId: number, card: RateCard): Promise<void> {
  await c.deleteFrom('measure_rates').where('store_id', '=', storeId).execute();
  const rows = Object.entries(card.rates).flatMap(([country, rates]) =>
    RATE_CATEGORIES.map((category) => ({ store_id: storeId, country, category, micros: rates[category] })),
  );
  if (rows.length > 0) await c.insertInto('measure_rates').values(rows).execute();
}

async function rebuildMessageSlots(c: Conn, storeId: number, slots: readonly string[] | null): Promise<void> {
  await sql`DELETE FROM measure_message_slots WHERE store_id = ${storeId} ${slotRows(slots)}`.execute(c);
  await sql`DELETE FROM measure_attribution_slots WHERE store_id = ${storeId} ${slotRows(slots)}`.execute(c);
  await sql`INSERT INTO measure_message_slots (store_id, slot, lane, step, template, sent, delivered, \`read\`, failed, clicked, cost_micros)
    SELECT m.store_id, ${SLOT('m.created_at')} AS s, m.lane, m.step, COALESCE(m.template, ''),
      SUM(COALESCE(m.sent_at, m.delivered_at, m.read_at) IS NOT NULL),
      SUM(COALESCE(m.delivered_at, m.read_at) IS NOT NULL),
      SUM(m.read_at IS NOT NULL),
      SUM(m.state = 'failed'),
      SUM(EXISTS (SELECT 1 FROM clicks c WHERE c.store_id = m.store_id AND c.message_id = m.id)),
      SUM(IF(COALESCE(m.delivered_at, m.read_at) IS NULL, 0, COALESCE(
        (SELECT r.micros FROM measure_rates r WHERE r.store_id = m.store_id AND r.country = p.country AND r.category = ${BILLED_CATEGORY}),
        (SELECT d.micros FROM measure_rates d WHERE d.store_id = m.store_id AND d.country = 'default' AND d.category = ${BILLED_CATEGORY}),
        0)))
    FROM messages m LEFT JOIN measure_prefixes p ON p.prefix = LEFT(m.phone, 5)
    WHERE m.store_id = ${storeId} AND m.state NOT IN ('held_out', 'skipped') AND ${slotFilter('m.created_at', slots)}
    GROUP BY s, m.lane, m.step, COALESCE(m.template, '')`.execute(c);
  await sql`INSERT INTO measure_attribution_slots (store_id, slot, lane, step, template, kind, orders, amount)
    SELECT a.store_id, ${SLOT('m.created_at')} AS s, a.lane, a.step, COALESCE(m.template, ''), a.kind, COUNT(*), SUM(a.amount)
    FROM attributions a JOIN messages m ON m.id = a.message_id
    WHERE a.store_id = ${storeId} AND ${slotFilter('m.created_at', slots)}
    GROUP BY s, a.lane, a.step, COALESCE(m.template, ''), a.kind`.execute(c);
}

/**
 * Journeys per slot, lane and cell, with the lift's sums: a journey converted when its contact
 * placed a paid order (an `order.paid`, or a paid status) within {@link LIFT_WINDOW_DAYS} days
 * after it began; its revenue is those orders' totals net of refunds (no amount with a refund
 * date: a full refund, as attribution counts it). Both cells alike, so they compare fairly.
 */
async function rebuildEnrollmentSlots(c: Conn, storeId: number, slots: readonly string[] | null): Promise<void> {
  const paid = sql.join(PAID_STATUSES.flatMap((s) => [sql.lit(s), sql.lit(`wc-${s}`)]));
  await sql`DELETE FROM measure_enrollment_slots WHERE store_id = ${storeId} ${slotRows(slots)}`.execute(c);
  await sql`INSERT INTO measure_enrollment_slots (store_id, slot, lane, cell, enrolled, opted_out, converted, revenue, squares)
    SELECT ${storeId}, t.s, t.lane, t.cell, COUNT(*), SUM(t.opted_out), SUM(t.converted), SUM(t.revenue), SUM(t.revenue * t.revenue)
    FROM (
      SELECT e.id, ${SLOT('e.created_at')} AS s, e.lane, e.cell,
        MAX(e.cell = 'treatment' AND e.stop_reason <=> 'opted_out') AS opted_out,
        MAX(o.order_id IS NOT NULL) AS converted,
        COALESCE(SUM(GREATEST(0, COALESCE(o.total, 0) - COALESCE(o.refunded_amount,
          CASE WHEN o.refunded_at IS NOT NULL THEN COALESCE(o.total, 0) ELSE 0 END))), 0) AS revenue
      FROM enrollments e
      LEFT JOIN orders o ON o.store_id = e.store_id AND o.contact_id = e.contact_id
        AND o.placed_at >= e.created_at AND o.placed_at < e.created_at + INTERVAL ${sql.lit(LIFT_WINDOW_DAYS)} DAY
        AND (o.paid_at IS NOT NULL OR LOWER(o.status) IN (${paid}))
      WHERE e.store_id = ${storeId} AND ${slotFilter('e.created_at', slots)}
      GROUP BY e.id, s, e.lane, e.cell
    ) t
    GROUP BY t.s, t.lane, t.cell`.execute(c);
}

async function distinctSlots(c: Conn, query: RawBuilder<{ s: string }>): Promise<string[]> {
  const { rows } = await query.execute(c);
  return rows.map((r) => r.s);
}

async function dirtySlots(
  c: Conn,
  storeId: number,
  since: Date,
): Promise<{ messages: Set<string>; enrollments: Set<string> }> {
  const messages = new Set<string>();
  const enrollments = new Set<string>();
  const lists = await Promise.all([
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('created_at')} AS s FROM messages WHERE store_id = ${storeId} AND updated_at >= ${since}`,
    ),
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('m.created_at')} AS s FROM clicks k JOIN messages m ON m.id = k.message_id
        WHERE k.store_id = ${storeId} AND k.last_opened_at >= ${since}`,
    ),
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('m.created_at')} AS s FROM attributions a JOIN messages m ON m.id = a.message_id
        WHERE a.store_id = ${storeId} AND a.decided_at >= ${since}`,
    ),
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('m.created_at')} AS s FROM orders o JOIN messages m ON m.store_id = o.store_id
        AND m.contact_id = o.contact_id AND m.created_at >= o.placed_at - INTERVAL 8 DAY AND m.created_at <= o.placed_at
        WHERE o.store_id = ${storeId} AND o.updated_at >= ${since}`,
    ),
  ]);
  for (const list of lists) for (const s of list) messages.add(s);
  const journeys = await Promise.all([
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('created_at')} AS s FROM enrollments WHERE store_id = ${storeId} AND updated_at >= ${since}`,
    ),
    distinctSlots(
      c,
      sql<{
        s: string;
      }>`SELECT DISTINCT ${SLOT('e.created_at')} AS s FROM orders o JOIN enrollments e ON e.store_id = o.store_id
        AND e.contact_id = o.contact_id AND e.created_at >= o.placed_at - INTERVAL ${sql.lit(LIFT_WINDOW_DAYS)} DAY AND e.created_at <= o.placed_at
        WHERE o.store_id = ${storeId} AND o.updated_at >= ${since}`,
    ),
  ]);
  for (const list of journeys) for (const s of list) enrollments.add(s);
  return { messages, enrollments };
}

function chunks(values: Set<string>): string[][] {
  const sorted = [...values].sort();
  const out: string[][] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) out.push(sorted.slice(i, i + CHUNK));
  return out;
}

/**
 * Brings the roll-ups up to date with the facts (see the module's comment); returns the slots
 * rebuilt, or `busy` when another refresh held the store's lock for `waitSeconds` (the caller then
 * reads the roll-ups as that refresh leaves them).
 */
export async function refreshRollups(
  db: Db,
  storeId: number,
  now: Date,
  waitSeconds = 30,
): Promise<{ full: boolean; slots: number; busy?: true }> {
  return db.connection().execute(async (c) => {
    const lock = `cartback_measure_${storeId}`;
    const { rows } = await sql<{ got: unknown }>`SELECT GET_LOCK(${lock}, ${waitSeconds}) AS got`.execute(c);
    if (num(rows[0]?.got) !== 1) return { full: false, slots: 0, busy: true };
    try {
      const stored = await c
        .selectFrom('settings')
        .select('value')
        .where('store_id', '=', storeId)
        .where('name', '=', WATERMARK)
        .executeTakeFirst();
      const since = stored ? new Date(JSON.parse(stored.value) as string) : null;
      const next = new Date(now.getTime() - OVERLAP_MS);
      let result: { full: boolean; slots: number; busy?: true };
      if (since === null || Number.isNaN(since.getTime())) {
        const { card } = await readRateCard(c, storeId);
        await learnPrefixes(c, storeId, null);
        await c.transaction().execute(async (trx) => {
          await syncRates(trx, storeId, card);
          await rebuildMessageSlots(trx, storeId, null);
          await rebuildEnrollmentSlots(trx, storeId, null);
        });
        result = { full: true, slots: 0 };
      } else {
        const dirty = await dirtySlots(c, storeId, since);
        for (const slots of chunks(dirty.messages)) {
          await learnPrefixes(c, storeId, slots);
          await c.transaction().execute((trx) => rebuildMessageSlots(trx, storeId, slots));
        }
        for (const slots of chunks(dirty.enrollments)) {
          await c.transaction().execute((trx) => rebuildEnrollmentSlots(trx, storeId, slots));
        }
        result = { full: false, slots: dirty.messages.size + dirty.enrollments.size };
      }
      // Never move the watermark back (a refresh with an older clock would redo work, not lose it).
      if (!since || next > since) {
        const value = JSON.stringify(next.toISOString());
        await c
          .insertInto('settings')
          .values({ store_id: storeId, name: WATERMARK, value, updated_at: now })
          .onDuplicateKeyUpdate({ value, updated_at: now })
          .execute();
      }
      return result;
    } finally {
      await sql`SELECT RELEASE_LOCK(${lock})`.execute(c);
    }
  });
}
