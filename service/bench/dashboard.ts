/**
 * `npm run bench:dashboard`: every dashboard query (the signed `GET /v1/admin/…` routes of
 * http/dashboard.ts, through the real app in this process) against a fresh database holding
 * 1,000,000 messages (bench/dashboard-fill.ts: journeys, clicks, orders and attributions in
 * proportion), spread over the last 90 days. Each query runs once to warm up, then
 * BENCH_RUNS times (default 7); its median is printed, and as a ratio to the baseline measured in
 * the same run: one full COUNT(*) over the store's messages through the same key. Each summary
 * and funnel call includes its roll-up refresh (measure/sql/rollup.ts); the roll-ups' first full
 * build is timed on its own before. Exits 1 when
 * any median is over BENCH_BUDGET_MS (300). The CSV exports stream every row of their range and
 * are not dashboard queries: they are timed to their first byte only.
 *
 * Environment: BENCH_DATABASE_URL (server base URL, default mysql://root@127.0.0.1:3306/),
 * BENCH_MESSAGES (1000000), BENCH_DAYS (90), BENCH_RUNS (7), BENCH_BUDGET_MS (300),
 * BENCH_INSERT_ROWS (5000).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeaders } from '@cartback/shared';
import { createConnection } from 'mysql2/promise';
import { createDb, poolOptions } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { refreshRollups } from '../src/measure/sql/rollup';
import { fillDashboard } from './dashboard-fill';
import { BenchError, positiveInt, runBench, serverUrlFrom } from './lifecycle';

const SECRET = 'cartback-bench-secret-0123456789abcdefgh';
const NOW = new Date('2026-12-01T12:00:00.000Z');

interface Settings {
  serverUrl: string;
  messages: number;
  days: number;
  runs: number;
  budgetMs: number;
  insertRows: number;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  return {
    serverUrl: serverUrlFrom(env),
    messages: positiveInt(env, 'BENCH_MESSAGES', 1_000_000),
    days: positiveInt(env, 'BENCH_DAYS', 90),
    runs: positiveInt(env, 'BENCH_RUNS', 7),
    budgetMs: positiveInt(env, 'BENCH_BUDGET_MS', 300),
    insertRows: positiveInt(env, 'BENCH_INSERT_ROWS', 5000),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function time(work: () => Promise<void>, runs: number): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function bench(settings: Settings, databaseUrl: string, signal: AbortSignal): Promise<number> {
  const db = createDb(databaseUrl, { connectionLimit: 8 });
  const conn = await createConnection({ ...poolOptions(databaseUrl), multipleStatements: false });
  let server: Server | undefined;
  try {
    await migrateToLatest(db);
    await conn.query("SET time_zone = '+00:00'");
    const fillStarted = performance.now();
    const filled = await fillDashboard(
      conn,
      { messages: settings.messages, days: settings.days, now: NOW, rows: settings.insertRows },
      (text) => process.stdout.write(`${text}\n`),
    );
    await conn.query('ANALYZE TABLE messages, enrollments, clicks, orders, attributions, contacts');
    process.stdout.write(
      `filled ${filled.messages.toLocaleString('en')} messages, ${filled.enrollments.toLocaleString('en')} journeys, ` +
        `${filled.contacts.toLocaleString('en')} contacts, ${filled.clicks.toLocaleString('en')} clicks, ` +
        `${filled.orders.toLocaleString('en')} orders in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`,
    );
    if (signal.aborted) throw new BenchError('interrupted');
    // The first refresh builds every roll-up (in the sidecar: the first dashboard look after a
    // start on old data, or after a rate card change); later ones rebuild only what changed.
    const buildStarted = performance.now();
    await refreshRollups(db, 1, new Date());
    const buildMs = performance.now() - buildStarted;
    const refreshStarted = performance.now();
    await refreshRollups(db, 1, new Date());
    const refreshMs = performance.now() - refreshStarted;
    process.stdout.write(
      `roll-ups built in ${(buildMs / 1000).toFixed(1)} s; a refresh with nothing changed: ${refreshMs.toFixed(1)} ms\n`,
    );

    const app = createApp({
      db,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      storeId: 1,
      secret: () => SECRET,
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (path: string, firstByteOnly = false) => {
      const res = await fetch(base + path, { headers: signatureHeaders(SECRET, { method: 'GET', path, body: '' }) });
      if (res.status !== 200) throw new BenchError(`${path}: HTTP ${res.status} ${await res.text()}`);
      if (firstByteOnly) {
        const reader = res.body?.getReader();
        await reader?.read();
        await reader?.cancel();
      } else {
        await res.arrayBuffer();
      }
    };

    const baseline = await time(async () => {
      await conn.query('SELECT COUNT(*) FROM messages WHERE store_id = 1');
    }, settings.runs);
    const last = 'from=2026-11-01&to=2026-12-01';
    const all = 'from=2026-09-01&to=2026-12-01';
    const queries: Array<[string, string, boolean?]> = [
      ['summary, 30 days by day', `/v1/admin/dashboard/summary?${last}&period=day`],
      ['summary, 90 days by week', `/v1/admin/dashboard/summary?${all}&period=week`],
      ['funnel, one lane, 30 days by day', `/v1/admin/dashboard/funnel?lane=abandoned_cart&${last}&period=day`],
      ['funnel, one lane, 90 days by month', `/v1/admin/dashboard/funnel?lane=abandoned_cart&${all}&period=month`],
      ['newest 50 messages', '/v1/admin/dashboard/messages?limit=50'],
      ['messages, a page deep in history', '/v1/admin/dashboard/messages?limit=50&before=1000'],
      ['contact timeline by phone', `/v1/admin/contacts/timeline?q=${encodeURIComponent('+4915100000005')}`],
      ['contact timeline by email', `/v1/admin/contacts/timeline?q=${encodeURIComponent('c12345@example.com')}`],
      ['rate card', '/v1/admin/rate-card'],
      ['messages.csv, first byte', `/v1/admin/export/messages.csv?${all}`, true],
      ['orders.csv, first byte', `/v1/admin/export/orders.csv?${all}`, true],
    ];
    const results: Array<{ name: string; ms: number }> = [];
    for (const [name, path, firstByte] of queries) {
      if (signal.aborted) throw new BenchError('interrupted');
      results.push({ name, ms: await time(() => call(path, firstByte), settings.runs) });
    }
    process.stdout.write(
      `\ndashboard queries, ${filled.messages.toLocaleString('en')} messages, median of ${settings.runs} runs (budget ${settings.budgetMs} ms)\n`,
    );
    process.stdout.write('| query | median | × baseline | within budget |\n| --- | ---: | ---: | :---: |\n');
    process.stdout.write(`| baseline: COUNT(*) over the store's messages | ${baseline.toFixed(1)} ms | 1.00 | |\n`);
    for (const r of results) {
      process.stdout.write(
        `| ${r.name} | ${r.ms.toFixed(1)} ms | ${(r.ms / baseline).toFixed(2)} | ${r.ms <= settings.budgetMs ? 'yes' : 'NO'} |\n`,
      );
    }
    const over = results.filter((r) => r.ms > settings.budgetMs);
    if (over.length > 0) {
      process.stderr.write(`over ${settings.budgetMs} ms: ${over.map((r) => r.name).join('; ')}\n`);
      return 1;
    }
    return 0;
  } finally {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    await conn.end();
    await db.destroy();
  }
}

runBench({ name: 'dashboard', databasePrefix: 'cartback_bench_dashboard', readSettings, bench });
