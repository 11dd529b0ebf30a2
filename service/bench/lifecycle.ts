import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../src/db/database';

/**
 * What both benchmarks share around their measurement: settings from the environment, a fresh
 * database (created first, dropped at the end and on SIGINT/SIGTERM), and the exit code.
 */

/** A failure whose message says it all (no stack trace). */
export class BenchError extends Error {}

export function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new BenchError(`${name} must be an integer ≥ ${min}`);
  return value;
}

/** BENCH_DATABASE_URL, the server base URL (default mysql://root@127.0.0.1:3306/). */
export function serverUrlFrom(env: NodeJS.ProcessEnv): string {
  const serverUrl = env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/';
  if (!/^(mysql|mariadb):\/\//.test(serverUrl)) throw new BenchError('BENCH_DATABASE_URL must be a mysql:// URL');
  return serverUrl;
}

/** The server URL with a fresh database name (`<prefix>_<pid>_<random>`) in place of its path. */
function benchDatabaseUrl(serverUrl: string, prefix: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  url.search = '';
  return url.toString();
}

/** URL with the password hidden, for messages. */
function safeUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Drops the bench database; a failure here is reported but does not hide the run's own error. */
async function dropQuietly(databaseUrl: string): Promise<void> {
  try {
    await dropDatabase(databaseUrl);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`warning: could not drop ${safeUrl(databaseUrl)}: ${message}\n`);
  }
}

export interface BenchRun<S extends { serverUrl: string }> {
  /** Used in the failure message: `bench:<name> failed: …`. */
  name: string;
  /** The fresh database's name prefix. */
  databasePrefix: string;
  readSettings(env: NodeJS.ProcessEnv): S;
  /** The benchmark itself, in the fresh database; resolves with the exit code. */
  bench(settings: S, databaseUrl: string, signal: AbortSignal): Promise<number>;
}

async function main<S extends { serverUrl: string }>(run: BenchRun<S>): Promise<number> {
  const settings = run.readSettings(process.env);
  const databaseUrl = benchDatabaseUrl(settings.serverUrl, run.databasePrefix);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let created = false;
  try {
    await ensureDatabase(databaseUrl);
    created = true;
    return await run.bench(settings, databaseUrl, controller.signal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (created) await dropQuietly(databaseUrl);
  }
}

/** Runs a benchmark and sets the exit code: its own, or 1 with the error on stderr. */
export function runBench<S extends { serverUrl: string }>(run: BenchRun<S>): void {
  main(run).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message =
        error instanceof BenchError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error;
      process.stderr.write(`bench:${run.name} failed: ${String(message)}\n`);
      process.exitCode = 1;
    },
  );
}
