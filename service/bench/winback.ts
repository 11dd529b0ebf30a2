/**
 * `npm run bench:winback`: the daily win-back pass (recovery/winback/pass.ts) over 100,000 and then
 * 1,000,000 lapsed contacts in one run, in a fresh database dropped at the end: time and peak
 * memory (RSS and V8 heap, sampled every 20 ms, in this process, which runs the pass) at each
 * size, and the ratios of the larger to the smaller. Every contact is lapsed, consented and has
 * products to offer, so every one is enrolled: the worst case. Between sizes the enrollments
 * are cleared and the facts topped up to the next size.
 *
 * Facts: per contact one marketing consent and one paid order 90 days old with two lines in
 * two of 20 categories; the candidate pool is 200 products in recent orders of 50 other buyers.
 * Filled with multi-row INSERTs of BENCH_INSERT_ROWS rows (default 5,000).
 *
 * Environment: BENCH_DATABASE_URL (server base URL, default mysql://root@127.0.0.1:3306/),
 * BENCH_WINBACK_SIZES (comma-separated, ascending; default "100000,1000000"), BENCH_CHUNK (1000).
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { createDb } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { poolOptions } from '../src/db/database';
import { defaultLaneSettings } from '../src/engine/lane-defaults';
import { runWinbackPass, type WinbackPassResult } from '../src/recovery/winback/pass';
import { BenchError, positiveInt, runBench, serverUrlFrom } from './lifecycle';

const NOW = new Date('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;
const CATEGORIES = 20;
const POOL_PRODUCTS = 200;
const POOL_BUYERS = 50;
/** Pool buyers' ids sit above every bench size, so they never collide with the lapsed contacts. */
const POOL_BUYER_BASE = 1_000_000_000;

interface Settings {
  serverUrl: string;
  sizes: number[];
  chunk: number;
  insertRows: number;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const sizes = (env.BENCH_WINBACK_SIZES || '100000,1000000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || sizes.some((n, i) => i > 0 && n <= sizes[i - 1]!)) {
    throw new BenchError('BENCH_WINBACK_SIZES must be ascending positive integers, e.g. 100000,1000000');
  }
  return {
    serverUrl: serverUrlFrom(env),
    sizes,
    chunk: positiveInt(env, 'BENCH_CHUNK', 1000),
    insertRows: positiveInt(env, 'BENCH_INSERT_ROWS', 5000),
  };
}

const sqlDate = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

function lines(products: { id: number; category: number }[]): string {
  return JSON.stringify(
    products.map((p) => ({
      product_id: p.id,
      name: `Product ${p.id}`,
      quantity: 1,
      unit_price: 1000 + p.id,
      line_total: 1000 + p.id,
      image_url: `https://shop.example/img/${p.id}.jpg`,
      url: `https://shop.example/product/${p.id}`,
      categories: [{ id: p.category, name: `Category ${p.category}` }],
    })),
  );
}

/** Rows `from`..`to` (inclusive) of contacts, consents and orders, in multi-row INSERTs. */
async function fill(conn: Connection, from: number, to: number, rows: number): Promise<void> {
  const created = sqlDate(new Date(NOW.getTime() - 400 * DAY));
  const placed = sqlDate(new Date(NOW.getTime() - 90 * DAY));
  for (let start = from; start <= to; start += rows) {
    const end = Math.min(to, start + rows - 1);
    const contacts: unknown[][] = [];
    const consents: unknown[][] = [];
    const orders: unknown[][] = [];
    for (let id = start; id <= end; id++) {
      const phone = `+31${String(600000000 + id)}`;
      contacts.push([id, 1, phone, 'Anna', created, created, created]);
      consents.push([1, id, phone, 'marketing', 'granted', 'checkout', 'Send me offers', 1, created, created]);
      const a = id % CATEGORIES;
      const b = (id * 7 + 3) % CATEGORIES;
      const bought = lines([
        { id: 10_000 + (id % 1000), category: a },
        { id: 20_000 + (id % 997), category: b },
      ]);
      orders.push([1, id, id, 'completed', 'EUR', bought, placed, created, created]);
    }
    await conn.query(
      'INSERT INTO contacts (id, store_id, phone, first_name, attributes_at, created_at, updated_at) VALUES ?',
      [contacts],
    );
    await conn.query(
      'INSERT INTO consent_ledger (store_id, contact_id, phone, scope, action, source, text, text_version, occurred_at, recorded_at) VALUES ?',
      [consents],
    );
    await conn.query(
      'INSERT INTO orders (store_id, order_id, contact_id, status, currency, `lines`, placed_at, created_at, updated_at) VALUES ?',
      [orders],
    );
  }
}

/** 200 products in 20 categories, in recent paid orders of 50 buyers (who are not lapsed). */
async function fillPool(conn: Connection): Promise<void> {
  const recent = sqlDate(new Date(NOW.getTime() - 3 * DAY));
  const orders: unknown[][] = [];
  for (let buyer = 0; buyer < POOL_BUYERS; buyer++) {
    const products = Array.from({ length: POOL_PRODUCTS / POOL_BUYERS }, (_, i) => {
      const id = buyer * (POOL_PRODUCTS / POOL_BUYERS) + i;
      return { id: 50_000 + id, category: id % CATEGORIES };
    });
    const id = POOL_BUYER_BASE + buyer;
    orders.push([1, id, id, 'completed', 'EUR', lines(products), recent, recent, recent]);
  }
  await conn.query(
    'INSERT INTO orders (store_id, order_id, contact_id, status, currency, `lines`, placed_at, created_at, updated_at) VALUES ?',
    [orders],
  );
}

interface Measured {
  size: number;
  fillMs: number;
  passMs: number;
  peakRss: number;
  peakHeap: number;
  baseRss: number;
  baseHeap: number;
  result: WinbackPassResult;
}

async function measure<T>(work: () => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const started = performance.now();
  try {
    const value = await work();
    const m = process.memoryUsage();
    return {
      value,
      ms: performance.now() - started,
      peakRss: Math.max(peakRss, m.rss),
      peakHeap: Math.max(peakHeap, m.heapUsed),
      baseRss: base.rss,
      baseHeap: base.heapUsed,
    };
  } finally {
    clearInterval(sample);
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function bench(settings: Settings, databaseUrl: string, signal: AbortSignal): Promise<number> {
  const db = createDb(databaseUrl, { connectionLimit: 4 });
  const conn = await createConnection({ ...poolOptions(databaseUrl), multipleStatements: false });
  const results: Measured[] = [];
  try {
    await migrateToLatest(db);
    await conn.query("SET time_zone = '+00:00'");
    await fillPool(conn);
    const lane = { ...defaultLaneSettings('winback'), enabled: true };
    let filled = 0;
    for (const size of settings.sizes) {
      if (signal.aborted) throw new BenchError('interrupted');
      const fillStarted = performance.now();
      await conn.query('DELETE FROM enrollment_history');
      await conn.query('DELETE FROM enrollments');
      await fill(conn, filled + 1, size, settings.insertRows);
      await conn.query('ANALYZE TABLE orders, contacts, consent_ledger, enrollments');
      filled = size;
      const fillMs = performance.now() - fillStarted;
      process.stdout.write(
        `filled ${size.toLocaleString('en')} lapsed contacts in ${secs(fillMs)}; running the pass…\n`,
      );
      const m = await measure(() => runWinbackPass(db, 1, lane, 'bench-salt', NOW, { chunkSize: settings.chunk }));
      if (m.value.started !== size) {
        throw new BenchError(`the pass started ${m.value.started} journeys for ${size} lapsed contacts`);
      }
      results.push({ size, fillMs, passMs: m.ms, ...m, result: m.value });
      process.stdout.write(
        `  ${size.toLocaleString('en')}: pass ${secs(m.ms)} (${Math.round(size / (m.ms / 1000)).toLocaleString('en')} contacts/s), ` +
          `peak RSS ${mb(m.peakRss)} (+${mb(m.peakRss - m.baseRss)}), peak heap ${mb(m.peakHeap)} (+${mb(m.peakHeap - m.baseHeap)}), ` +
          `${m.value.chunks} chunks\n`,
      );
    }
  } finally {
    await conn.end();
    await db.destroy();
  }
  const first = results[0]!;
  const last = results[results.length - 1]!;
  process.stdout.write('\nwin-back daily pass\n');
  process.stdout.write(
    '| contacts | fill | pass | contacts/s | peak RSS | peak heap |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.size.toLocaleString('en')} | ${secs(r.fillMs)} | ${secs(r.passMs)} | ${Math.round(r.size / (r.passMs / 1000)).toLocaleString('en')} | ${mb(r.peakRss)} | ${mb(r.peakHeap)} |\n`,
    );
  }
  if (results.length > 1) {
    process.stdout.write(
      `ratios ${last.size.toLocaleString('en')} vs ${first.size.toLocaleString('en')} (×${last.size / first.size} contacts): ` +
        `time ×${(last.passMs / first.passMs).toFixed(2)}, peak RSS ×${(last.peakRss / first.peakRss).toFixed(2)}, ` +
        `peak heap ×${(last.peakHeap / first.peakHeap).toFixed(2)}\n`,
    );
  }
  return 0;
}

runBench({ name: 'winback', databasePrefix: 'cartback_bench_winback', readSettings, bench });
