import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { StoreEvent } from '@cartback/shared';
import { EventGenerator } from '../../bench/events';
import { ingestBatches } from '../../src/ingest/ingest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { diffFacts, dumpFacts } from '../support/facts-dump';

/**
 * Order tolerance, as a property: the same events — the bench's mix of cart updates and
 * emptyings, product views, checkout captures, consents, logins, orders and channel nudges, on a
 * small pool of shoppers and carts so they collide — applied in any order, split into any
 * batches, several transactions in flight at once and some events delivered twice, leave the
 * same facts as applying them one batch at a time in the order they happened.
 *
 * CARTBACK_PROPERTY_RUNS (default 3) sets how many event sets are tried, each applied in two
 * arrangements; CARTBACK_PROPERTY_EVENTS (default 1500) their size, CARTBACK_PROPERTY_SEED the
 * seed (a failure prints the seed and path that reproduce it).
 */

const RUNS = Number(process.env.CARTBACK_PROPERTY_RUNS ?? 3);
const EVENTS = Number(process.env.CARTBACK_PROPERTY_EVENTS ?? 1500);
const SEED = process.env.CARTBACK_PROPERTY_SEED ? Number(process.env.CARTBACK_PROPERTY_SEED) : 20261202;
const START = new Date('2026-11-20T10:00:00.000Z');
/** Every event happened before this (a future-stamped event counts as happening at `now`). */
const NOW = new Date('2026-11-27T10:00:00.000Z');

/** mulberry32, for shuffles and batch sizes reproducible from a seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The bench's event mix, scaled down so shoppers and carts recur often, ids derived from the
 * seed; and, beyond what the bench sends, some shoppers named without their phone (a login, a
 * checkout capture or an order by email only) and some nudges sent to a phone, so that which
 * contact a row belongs to also goes through emails and logins known only by email; known
 * browsers (a tenth of the views become a `browser.linked` of a shopper's reference, sometimes
 * naming another shopper's phone, and four in ten views carry a reference, so a login and a
 * cookie often disagree); and a pay link on every pending or failed order report.
 */
function generate(seed: number, count: number): StoreEvent[] {
  const scale = Math.max(1, count / 1500);
  const generator = new EventGenerator({
    seed,
    shoppers: Math.round(50 * scale),
    carts: Math.round(70 * scale),
    products: 40,
    start: START,
  });
  const random = seeded(seed ^ 0x5eed);
  const phoneOf = new Map<string, string>();
  const phones: string[] = [];
  const refOf = (phone: string) => `kb${createHash('sha256').update(`${seed}:${phone}`).digest('hex').slice(0, 30)}`;
  const anyPhone = () => phones[Math.floor(random() * phones.length)] as string;
  return Array.from({ length: count }, (_, i): StoreEvent => {
    const hex = createHash('sha256').update(`${seed}:${i}`).digest('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const e = { ...generator.next(), id };
    const d = e.data as { phone?: string; email?: string };
    if (d.phone && d.email) phoneOf.set(d.email, d.phone);
    if (d.phone && !phones.includes(d.phone)) phones.push(d.phone);
    const roll = random();
    switch (e.type) {
      case 'product.viewed': {
        if (phones.length === 0 || roll >= 0.5) return e;
        const phone = anyPhone();
        if (roll < 0.1) {
          const named = random() < 0.2 ? anyPhone() : phone;
          const data = { contact_ref: refOf(phone), phone: named, via: 'consent' as const };
          return { id: e.id, occurred_at: e.occurred_at, type: 'browser.linked', data };
        }
        return { ...e, data: { ...e.data, contact_ref: refOf(phone) } };
      }
      case 'order.payment_failed':
      case 'order.created': {
        const pay_url = `https://shop.example/checkout/order-pay/${e.data.order_id}/?pay_for_order=true&key=wc_order_${hex.slice(0, 12)}`;
        const paying = { ...e, data: { ...e.data, pay_url } };
        if (e.type === 'order.created' && roll < 0.3) return { ...paying, data: { ...paying.data, phone: undefined } };
        return paying;
      }
      case 'customer.identified':
      case 'checkout.contact_captured':
      case 'order.paid':
        if (roll < 0.3) return { ...e, data: { ...e.data, phone: undefined } } as StoreEvent;
        return e;
      case 'channel.sent': {
        const phone = phoneOf.get(e.data.email ?? '');
        if (roll < 0.3 && phone) return { ...e, data: { ...e.data, email: undefined, phone } };
        return e;
      }
      default:
        return e;
    }
  });
}

interface Arrangement {
  shuffle: number;
  maxBatch: number;
  inFlight: number;
  /** Up to this many batches are applied together in one transaction (the ingest queue's group commit). */
  perTransaction: number;
  /** Per mille of events delivered a second time. */
  resend: number;
}

/** The events shuffled, some repeated, cut into batches, grouped into transactions. */
function arrange(events: readonly StoreEvent[], a: Arrangement): StoreEvent[][][] {
  const random = seeded(a.shuffle);
  const stream = [...events, ...events.filter(() => random() * 1000 < a.resend)];
  for (let i = stream.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [stream[i], stream[j]] = [stream[j] as StoreEvent, stream[i] as StoreEvent];
  }
  const batches: StoreEvent[][] = [];
  for (let i = 0; i < stream.length;) {
    const size = 1 + Math.floor(random() * a.maxBatch);
    batches.push(stream.slice(i, i + size));
    i += size;
  }
  const transactions: StoreEvent[][][] = [];
  for (let i = 0; i < batches.length;) {
    const size = 1 + Math.floor(random() * a.perTransaction);
    transactions.push(batches.slice(i, i + size));
    i += size;
  }
  return transactions;
}

/** Applies the transactions with up to `inFlight` of them running at once. */
async function apply(database: TestDatabase, storeId: number, transactions: StoreEvent[][][], inFlight: number) {
  let next = 0;
  const worker = async () => {
    while (next < transactions.length) {
      const batches = transactions[next++] as StoreEvent[][];
      await ingestBatches(database.db, storeId, batches, NOW);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

const arrangement: fc.Arbitrary<Arrangement> = fc.record({
  shuffle: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  maxBatch: fc.integer({ min: 1, max: 150 }),
  inFlight: fc.integer({ min: 1, max: 8 }),
  perTransaction: fc.integer({ min: 1, max: 3 }),
  resend: fc.integer({ min: 0, max: 100 }),
});

let database: TestDatabase;
let nextStore = 100;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

test(
  'the same events in any order, batches and concurrency leave the same facts',
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(arrangement, { minLength: 2, maxLength: 2 }),
        async (seed, arrangements) => {
          const events = generate(seed, EVENTS);
          const inOrder = nextStore++;
          const chronological = [];
          for (let i = 0; i < events.length; i += 100) chronological.push([events.slice(i, i + 100)]);
          await apply(database, inOrder, chronological, 1);
          const expected = await dumpFacts(database.db, inOrder);
          for (const a of arrangements) {
            const storeId = nextStore++;
            await apply(database, storeId, arrange(events, a), a.inFlight);
            const differences = diffFacts(expected, await dumpFacts(database.db, storeId));
            expect({ arrangement: a, differences }).toEqual({ arrangement: a, differences: [] });
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  },
  Math.max(60_000, RUNS * EVENTS * 40),
);
