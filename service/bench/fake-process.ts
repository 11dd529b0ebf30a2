import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startNodeChild, type NodeChild } from './child';

/** The compiled fake WhatsApp Cloud API entry point (dist/bench → dist/src/fake-whatsapp). */
export const FAKE_MAIN = join(__dirname, '../src/fake-whatsapp/main.js');

export interface FakeProcess extends NodeChild {
  url: string;
  /** CPU time the process has used so far (ms), from /proc on Linux; null elsewhere. */
  cpuMs(): number | null;
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
  const url = `http://127.0.0.1:${port}`;
  const child = await startNodeChild({
    name: 'fake',
    args: [FAKE_MAIN],
    env: {
      PORT: String(port),
      FAKE_HOST: '127.0.0.1',
      FAKE_RATE_LIMIT: String(options.rateLimit),
      FAKE_ACCESS_TOKEN: options.accessToken,
      FAKE_APP_SECRET: 'cartback-bench-fake-app-secret',
      FAKE_STATUS_DELAY_MS: String(options.statusDelayMs ?? 0),
      LOG_LEVEL: 'warn',
    },
    probe: () => healthStatus(url),
    graceMs: 10_000,
    readyTimeoutMs: options.readyTimeoutMs,
    signal: options.signal,
  });
  return { ...child, url, cpuMs: () => processCpuMs(child.pid) };
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

async function healthStatus(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/_sandbox/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
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
