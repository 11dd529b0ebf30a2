import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './sidecar';

/** The compiled fake WhatsApp Cloud API entry point (dist/bench → dist/src/fake-whatsapp). */
export const FAKE_MAIN = join(__dirname, '../src/fake-whatsapp/main.js');

export interface FakeProcess {
  url: string;
  pid: number | undefined;
  /** CPU time the process has used so far (ms), from /proc on Linux; null elsewhere. */
  cpuMs(): number | null;
  /** The last few KiB the child wrote to stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). Resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface FakeProcessOptions {
  accessToken: string;
  /** FAKE_RATE_LIMIT: accepted sends per sliding second before 130429. */
  rateLimit: number;
  /**
   * FAKE_STATUS_DELAY_MS. Keep it short: without a webhook URL the statuses cost nothing, but
   * each message waiting for one holds an abort listener on one signal, and Node's EventTarget
   * checks every listener on each add — a long delay makes each accepted send O(messages so far).
   */
  statusDelayMs?: number;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs the fake WhatsApp Cloud API (a test double) in its own process, without a webhook URL
 * (statuses are not what a benchmark measures) and with the longest status delay, so it does no
 * work beyond answering sends. Resolves once GET /_sandbox/health answers 200.
 */
export async function startFakeProcess(options: FakeProcessOptions): Promise<FakeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [FAKE_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      FAKE_HOST: '127.0.0.1',
      FAKE_RATE_LIMIT: String(options.rateLimit),
      FAKE_ACCESS_TOKEN: options.accessToken,
      FAKE_APP_SECRET: 'cartback-bench-fake-app-secret',
      FAKE_STATUS_DELAY_MS: String(options.statusDelayMs ?? 0),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8_192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  child.once('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));

  const url = `http://127.0.0.1:${port}`;
  const fake: FakeProcess = {
    url,
    pid: child.pid,
    cpuMs: () => processCpuMs(child.pid),
    output: () => tail.trim(),
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
  };
  try {
    await waitHealthy(url, child, options.readyTimeoutMs ?? 30_000, options.signal);
  } catch (error) {
    await fake.stop(2_000);
    const detail = tail.trim() ? `\n--- fake output ---\n${tail.trim()}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`);
  }
  return fake;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (USER_HZ is 100 on Linux). */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | string>,
  graceMs: number,
): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function healthStatus(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/_sandbox/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new Error('interrupted');
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the fake exited before it was ready (${child.exitCode ?? child.signalCode})`);
    }
    if ((await healthStatus(url)) === 200) return;
    if (Date.now() > deadline) throw new Error(`the fake was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A request that reached the fake: accepted (with its callback data) or refused (with its code). */
export interface FakeArrival {
  atMs: number;
  callbackData: string | null;
}

export interface FakeRecord {
  accepted: FakeArrival[];
  rejected: Array<{ atMs: number; code: number | null; reason: string }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function sandboxList(url: string, path: string, key: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${url}/_sandbox/${path}`, { signal: AbortSignal.timeout(60_000) });
  if (res.status !== 200) throw new Error(`GET /_sandbox/${path} answered ${res.status}`);
  const body: unknown = await res.json();
  const list = isRecord(body) ? body[key] : undefined;
  if (!Array.isArray(list)) throw new Error(`GET /_sandbox/${path} did not list ${key}`);
  return list.filter(isRecord);
}

function timeOf(value: unknown, what: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`the fake listed ${what} without a valid time`);
  return ms;
}

/** Everything the fake accepted and refused, with its own clock's times (ms resolution). */
export async function readFakeRecord(url: string): Promise<FakeRecord> {
  const messages = await sandboxList(url, 'messages', 'messages');
  const rejections = await sandboxList(url, 'rejections', 'rejections');
  return {
    accepted: messages.map((m) => ({
      atMs: timeOf(m.receivedAt, 'a message'),
      callbackData: typeof m.biz_opaque_callback_data === 'string' ? m.biz_opaque_callback_data : null,
    })),
    rejected: rejections.map((r) => ({
      atMs: timeOf(r.at, 'a rejection'),
      code: typeof r.code === 'number' ? r.code : null,
      reason: typeof r.reason === 'string' ? r.reason : '?',
    })),
  };
}
