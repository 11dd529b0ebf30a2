/**
 * `npm run bench:ingest`: sustained events/s through `POST /v1/events` (signed batches of 100
 * mixed events, fixed concurrency, the sidecar in its own process) with p50/p99 batch latency,
 * and, in the same run, the raw multi-row INSERT rate of the same rows into MariaDB (the
 * ceiling), with their ratio: every row the sidecar stored, in every table (bench/replay.ts),
 * and, as a second figure, the events' inbound_events rows only (bench/ceiling.ts). Works in a
 * fresh database that is dropped at the end.
 *
 * Environment: BENCH_DATABASE_URL (server base URL, default mysql://root@127.0.0.1:3306/),
 * BENCH_CONCURRENCY (8), BENCH_BATCHES (400), BENCH_WARMUP_BATCHES (20), BENCH_CARTS (3000) and
 * BENCH_SHOPPERS (2500) (the pools the events draw on: smaller pools mean more row-lock
 * contention between concurrent batches), and BENCH_SIDECAR_NODE_ARGS (extra node flags for the
 * sidecar, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * Exits 1 on an error or any failed request; a missed target is a result, not an error.
 */
import { availableParallelism } from 'node:os';
import { EVENT_TYPES, validateEvent, validateEventBatch, type StoreEvent } from '@cartback/shared';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { poolOptions } from '../src/db/database';
import { DEFAULT_STORE_ID } from '../src/server';
import { CEILING_TABLE, insertStatements, runCeiling } from './ceiling';
import { EventGenerator } from './events';
import { BenchError, positiveInt, runBench, serverUrlFrom } from './lifecycle';
import { percentile, runLoad, type LoadResult } from './load';
import { readStoredRows, runReplay } from './replay';
import { countTypes, formatReport } from './report';
import { startSidecarProcess } from './sidecar';

const EVENTS_PER_BATCH = 100;
const SECRET = 'cartback-bench-secret-0123456789abcdefgh';
const TIME_LIMIT_MS = 120_000;

interface Settings {
  serverUrl: string;
  concurrency: number;
  batches: number;
  warmupBatches: number;
  carts: number;
  shoppers: number;
  sidecarNodeArgs: string[];
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const serverUrl = serverUrlFrom(env);
  return {
    serverUrl,
    concurrency: positiveInt(env, 'BENCH_CONCURRENCY', 8),
    batches: positiveInt(env, 'BENCH_BATCHES', 400),
    warmupBatches: positiveInt(env, 'BENCH_WARMUP_BATCHES', 20, 0),
    carts: positiveInt(env, 'BENCH_CARTS', 3_000),
    shoppers: positiveInt(env, 'BENCH_SHOPPERS', 2_500),
    sidecarNodeArgs: (env.BENCH_SIDECAR_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  };
}

/** All batches, warm-up first; aborts with a clear message if the events would not pass validation. */
function buildBatches(count: number, pools: { carts: number; shoppers: number }): StoreEvent[][] {
  const generator = new EventGenerator(pools);
  const batches: StoreEvent[][] = [];
  for (let b = 0; b < count; b++) {
    batches.push(Array.from({ length: EVENTS_PER_BATCH }, () => generator.next()));
  }
  const first = validateEventBatch({ events: batches[0] });
  if (!first.ok) {
    throw new BenchError(`the generated events do not validate: ${first.path}: ${first.message}; fix bench/events.ts`);
  }
  const sampler = new EventGenerator({ seed: 7 });
  for (const type of EVENT_TYPES) {
    const sample = validateEvent(sampler.event(type));
    if (!sample.ok) {
      throw new BenchError(`a generated ${type} event does not validate: ${sample.path}: ${sample.message}`);
    }
  }
  return batches;
}

function requireClean(phase: string, result: LoadResult): void {
  if (result.failures.count === 0 && result.unsent === 0) return;
  const lines = [`${phase}: ${result.failures.count} failed batches, ${result.unsent} not sent`];
  if (result.unsent > 0) lines.push(`  (the ${TIME_LIMIT_MS / 1000} s time limit or an interrupt came first)`);
  for (const reason of result.failures.reasons) lines.push(`  ${reason}`);
  throw new BenchError(lines.join('\n'));
}

async function serverFacts(databaseUrl: string): Promise<{ version: string; inboundRows: number }> {
  const conn = await createConnection(poolOptions(databaseUrl));
  try {
    const [version] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const [count] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM inbound_events');
    return { version: String(version[0]?.v ?? '?'), inboundRows: Number(count[0]?.n ?? 0) };
  } finally {
    await conn.end();
  }
}

/** Starts the sidecar, sends the warm-up batches, then the measured ones, and stops it again. */
async function loadSidecar(
  settings: Settings,
  databaseUrl: string,
  bodies: readonly Buffer[],
  signal: AbortSignal,
): Promise<LoadResult> {
  const { concurrency, warmupBatches } = settings;
  const sidecar = await startSidecarProcess({
    databaseUrl,
    secret: SECRET,
    nodeArgs: settings.sidecarNodeArgs,
    signal,
  });
  const load = { port: sidecar.port, secret: SECRET, eventsPerBatch: EVENTS_PER_BATCH, concurrency, signal };
  const timeLimitMs = TIME_LIMIT_MS;
  try {
    const warmup = await runLoad({ ...load, timeLimitMs, bodies: bodies.slice(0, warmupBatches) });
    requireClean('warm-up', warmup);
    const measured = await runLoad({ ...load, timeLimitMs, bodies: bodies.slice(warmupBatches) });
    requireClean('measured run', measured);
    return measured;
  } catch (error) {
    const output = sidecar.output();
    if (output && error instanceof Error) error.message += `\n--- sidecar output ---\n${output}`;
    throw error;
  } finally {
    const exit = await sidecar.stop();
    if (exit !== 0) process.stderr.write(`warning: the sidecar exited with ${exit}\n${sidecar.output()}\n`);
  }
}

async function bench(settings: Settings, databaseUrl: string, signal: AbortSignal): Promise<number> {
  const { concurrency, batches: measuredCount, warmupBatches } = settings;
  const batches = buildBatches(warmupBatches + measuredCount, settings);
  const bodies = batches.map((events) => Buffer.from(JSON.stringify({ events })));
  const measuredEvents = batches.slice(warmupBatches).flat();
  const statements = insertStatements(DEFAULT_STORE_ID, batches);

  const measured = await loadSidecar(settings, databaseUrl, bodies, signal);

  const facts = await serverFacts(databaseUrl);
  if (facts.inboundRows !== batches.length * EVENTS_PER_BATCH) {
    throw new BenchError(
      `inbound_events holds ${facts.inboundRows} rows; expected ${batches.length * EVENTS_PER_BATCH}`,
    );
  }

  // The log rows only: the measured events' inbound_events rows, built from the events (warm-up ones first, untimed).
  const ceilingLog = await runCeiling({
    databaseUrl,
    concurrency,
    warmup: statements.slice(0, warmupBatches),
    measured: statements.slice(warmupBatches),
    timeLimitMs: TIME_LIMIT_MS,
    signal,
  });
  if (ceilingLog.rows !== measuredEvents.length) {
    throw new BenchError(
      `the raw INSERTs wrote ${ceilingLog.rows} rows into ${CEILING_TABLE}; expected ${measuredEvents.length}`,
    );
  }

  // All rows: everything the sidecar stored, read back, so it includes the warm-up batches' rows
  // (their facts cannot be told apart from the measured ones': carts and contacts are upserted
  // across both). Those rows therefore represent all the events sent, warm-up + measured, and
  // the ceiling's events/s equivalent is that total over the time to insert them all.
  const stored = await readStoredRows(databaseUrl);
  const storedRows = stored.reduce((sum, t) => sum + t.rows, 0);
  const ceilingAll = await runReplay({ databaseUrl, concurrency, tables: stored, timeLimitMs: TIME_LIMIT_MS, signal });
  if (ceilingAll.rows !== storedRows) {
    throw new BenchError(
      `the raw INSERTs wrote ${ceilingAll.rows} rows into the _ceiling tables; expected ${storedRows}`,
    );
  }

  process.stdout.write(
    `${formatReport({
      mariadb: facts.version,
      node: process.version,
      cores: availableParallelism(),
      concurrency,
      eventsPerBatch: EVENTS_PER_BATCH,
      warmupBatches,
      sidecar: {
        events: measured.ok * EVENTS_PER_BATCH,
        wallMs: measured.wallMs,
        p50Ms: percentile(measured.latenciesMs, 50),
        p99Ms: percentile(measured.latenciesMs, 99),
        maxMs: percentile(measured.latenciesMs, 100),
      },
      ceilingAll: {
        ...ceilingAll,
        events: batches.length * EVENTS_PER_BATCH,
        tables: stored.map((t): [string, number] => [t.table, t.rows]),
      },
      ceilingLog,
      mix: countTypes(measuredEvents),
    })}\n`,
  );
  return 0;
}

runBench({ name: 'ingest', databasePrefix: 'cartback_bench', readSettings, bench });
