/**
 * `npm run bench:dispatch`: the dispatcher (run in this process, the thing measured) sends a
 * backlog of due messages to the fake WhatsApp Cloud API (a test double, run as its own process)
 * capped at 1,000 accepted sends per sliding second. Reports messages/s achieved, lateness
 * (the fake's receivedAt − due_at, per message), duplicates (must be 0), 130429 refusals, and cap
 * overruns: 1-second windows, at 1 ms steps over the fake's times, holding more than the cap.
 * Works in a fresh database that is dropped at the end.
 *
 * The backlog: BENCH_MESSAGES (20,000) messages, each to its own number, due evenly over
 * BENCH_SPREAD_MS (10,000 ms), i.e. twice as fast as the cap lets them out, so the dispatcher is
 * saturated throughout and its throughput, not the arrival rate, decides the result; lateness is
 * shown beside the earliest schedule the cap allows. The fake runs without a webhook URL and with
 * FAKE_STATUS_DELAY_MS=0 (see fake-process.ts: a long delay slows it down as messages pile up).
 * Beside the results it prints what it sees of the dispatcher from outside (dispatch-trace.ts):
 * ticks, claim and send times, tokens its bucket dropped, statements per message, CPU.
 *
 * Environment: BENCH_DATABASE_URL (server base URL, default mysql://root@127.0.0.1:3306/),
 * BENCH_FAKE_RATE (the fake's cap, 1,000), BENCH_LIMIT (the dispatcher's limitPerSecond, the
 * fake's cap), BENCH_BATCH and BENCH_IDLE_MS (the dispatcher's, its defaults otherwise),
 * BENCH_TIME_LIMIT_S (120).
 * Exits 1 on an error, a duplicate or a message not sent; overruns and throughput are results.
 */
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import { createDb, type Db } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { bucketForLimit } from '../src/dispatch/token-bucket';
import { FAKE_DEFAULTS } from '../src/fake-whatsapp/server';
import { createLogger } from '../src/logger';
import { createCloudProvider } from '../src/whatsapp/cloud';
import { analyse } from './dispatch-analysis';
import { countOpen, finalStates, insertParked, releaseParked } from './dispatch-queue';
import { formatDispatchReport, verdict, type DispatchFigures } from './dispatch-report';
import { newTrace, summarise, timedProvider, traced } from './dispatch-trace';
import { readFakeRecord, startFakeProcess } from './fake-process';
import { BenchError, positiveInt, runBench, serverUrlFrom } from './lifecycle';

const ACCESS_TOKEN = 'cartback-bench-dispatch-token';
/** The dispatcher's defaults (dispatcher.ts), printed when not overridden. */
const DEFAULT_BATCH = 100;
const DEFAULT_IDLE_MS = 250;
/** Time between the release UPDATE starting and the first message falling due. */
const RELEASE_LEAD_MS = 2_000;
const POLL_MS = 200;

interface Settings {
  serverUrl: string;
  messages: number;
  spreadMs: number;
  cap: number;
  limitPerSecond: number;
  batch: number;
  idleMs: number;
  timeLimitMs: number;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const serverUrl = serverUrlFrom(env);
  const cap = positiveInt(env, 'BENCH_FAKE_RATE', 1_000);
  return {
    serverUrl,
    messages: positiveInt(env, 'BENCH_MESSAGES', 20_000),
    spreadMs: positiveInt(env, 'BENCH_SPREAD_MS', 10_000, 0),
    cap,
    limitPerSecond: positiveInt(env, 'BENCH_LIMIT', cap),
    batch: positiveInt(env, 'BENCH_BATCH', DEFAULT_BATCH),
    idleMs: positiveInt(env, 'BENCH_IDLE_MS', DEFAULT_IDLE_MS),
    timeLimitMs: positiveInt(env, 'BENCH_TIME_LIMIT_S', 120) * 1000,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no message is queued or submitting; false when the deadline came first. */
async function waitSettled(db: Db, deadlineMs: number, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal.aborted) throw new BenchError('interrupted');
    if ((await countOpen(db)) === 0) return true;
    if (Date.now() >= deadlineMs) return false;
    await sleep(POLL_MS);
  }
}

async function bench(settings: Settings, databaseUrl: string, signal: AbortSignal): Promise<number> {
  const { messages, spreadMs, cap, limitPerSecond, batch, idleMs, timeLimitMs } = settings;
  // Setup, polling and reading back use their own small pool, not the dispatcher's.
  const observer = createDb(databaseUrl, { connectionLimit: 2 });
  try {
    await migrateToLatest(observer);
    await insertParked(observer, messages, spreadMs);
    const version = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(observer);

    const fake = await startFakeProcess({ accessToken: ACCESS_TOKEN, rateLimit: cap, signal });
    let figures: DispatchFigures;
    try {
      const trace = newTrace();
      const provider = timedProvider(
        createCloudProvider({
          apiUrl: fake.url,
          apiVersion: 'v24.0',
          accessToken: ACCESS_TOKEN,
          phoneNumberId: FAKE_DEFAULTS.phoneNumberId,
          wabaId: FAKE_DEFAULTS.wabaId,
        }),
        trace,
      );
      // The dispatcher's pool as the sidecar makes it; its logs go to stderr, the report to stdout.
      const pool = createDb(databaseUrl);
      const db = traced(pool, trace);
      const logger = createLogger('warn', process.stderr);
      const dispatcher = new Dispatcher({ db, provider, logger, limitPerSecond, batch, idleMs });
      let dueById: Map<number, number>;
      let leadMs: number;
      let settled: boolean;
      let cpu: DispatchFigures['cpu'];
      try {
        dispatcher.start();
        await sleep(500); // takes the dispatcher lock, finds nothing due
        const t0 = Date.now() + RELEASE_LEAD_MS;
        dueById = await releaseParked(observer, t0);
        leadMs = t0 - Date.now();
        const [ownBefore, fakeBefore] = [process.cpuUsage(), fake.cpuMs()];
        settled = await waitSettled(observer, t0 + timeLimitMs, signal);
        const own = process.cpuUsage(ownBefore);
        const fakeAfter = fake.cpuMs();
        cpu = {
          benchMs: (own.user + own.system) / 1000,
          fakeMs: fakeBefore === null || fakeAfter === null ? Number.NaN : fakeAfter - fakeBefore,
        };
      } finally {
        await dispatcher.stop();
        await pool.destroy();
      }
      const record = await readFakeRecord(fake.url);
      const analysis = analyse(dueById, record, cap);
      const bucket = bucketForLimit(limitPerSecond);
      figures = {
        mariadb: version.rows[0]?.v ?? '?',
        node: process.version,
        cores: availableParallelism(),
        messages,
        spreadMs,
        cap,
        limitPerSecond,
        bucket,
        batch,
        idleMs,
        leadMs,
        timedOut: !settled,
        analysis,
        final: await finalStates(observer),
        ticks: summarise(trace, bucket, analysis.accepted),
        sends: trace.sends,
        cpu,
      };
    } catch (error) {
      const output = fake.output();
      if (output && error instanceof Error && !(error instanceof BenchError))
        error.message += `\n--- fake output ---\n${output}`;
      throw error;
    } finally {
      const exit = await fake.stop();
      if (exit !== 0) process.stderr.write(`warning: the fake exited with ${exit}\n${fake.output()}\n`);
    }
    process.stdout.write(`${formatDispatchReport(figures)}\n`);
    return verdict(figures).failed ? 1 : 0;
  } finally {
    await observer.destroy();
  }
}

runBench({ name: 'dispatch', databasePrefix: 'cartback_bench_dispatch', readSettings, bench });
