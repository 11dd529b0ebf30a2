import { Agent, request } from 'node:http';
import { signatureHeaders } from '@cartback/shared';

export const EVENTS_PATH = '/v1/events';

export interface LoadOptions {
  port: number;
  secret: string;
  /** Pre-built request bodies, one batch each, sent in order. */
  bodies: readonly Buffer[];
  /** Events in each batch: every reply must accept exactly this many. */
  eventsPerBatch: number;
  concurrency: number;
  /** Stop sending new batches after this long; unsent batches count as failures. */
  timeLimitMs: number;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoadResult {
  /** Batches that got a 200 accepting every event. */
  ok: number;
  /** Latency of each successful batch, in ms, in completion order. */
  latenciesMs: number[];
  /** Every failed batch with the reason; capped at the first 20 reasons (count is exact). */
  failures: { count: number; reasons: string[] };
  /** Batches never sent because the time limit or an interrupt came first. */
  unsent: number;
  /** From the first request sent to the last reply received. */
  wallMs: number;
}

interface Reply {
  status: number;
  body: string;
}

function post(agent: Agent, port: number, secret: string, body: Buffer, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      ...signatureHeaders(secret, { method: 'POST', path: EVENTS_PATH, body }),
    };
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: EVENTS_PATH, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Why a reply is not the expected `200 {"accepted": n, "duplicates": 0}`, or null when it is. */
function problem(reply: Reply, expected: number): string | null {
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.body.slice(0, 300)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    return `HTTP 200 with a body that is not JSON: ${reply.body.slice(0, 300)}`;
  }
  const { accepted, duplicates } = (parsed ?? {}) as { accepted?: unknown; duplicates?: unknown };
  if (accepted !== expected || duplicates !== 0) {
    return `expected {"accepted":${expected},"duplicates":0}, got ${reply.body.slice(0, 300)}`;
  }
  return null;
}

/**
 * Sends the batches with a fixed number of requests in flight over keep-alive connections,
 * signing each one as it is sent, and times every batch.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { port, secret, bodies, eventsPerBatch, concurrency, timeLimitMs, signal } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const latenciesMs: number[] = [];
  const failures = { count: 0, reasons: [] as string[] };
  const fail = (index: number, reason: string) => {
    failures.count++;
    if (failures.reasons.length < 20) failures.reasons.push(`batch ${index}: ${reason}`);
  };
  let next = 0;
  let stopped = false;
  const timer = setTimeout(() => (stopped = true), timeLimitMs);
  const onAbort = () => (stopped = true);
  signal?.addEventListener('abort', onAbort);

  const worker = async (): Promise<void> => {
    while (!stopped && next < bodies.length) {
      const index = next++;
      const body = bodies[index];
      if (body === undefined) break;
      const started = process.hrtime.bigint();
      try {
        const reply = await post(agent, port, secret, body, requestTimeoutMs);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        const reason = problem(reply, eventsPerBatch);
        if (reason) fail(index, reason);
        else latenciesMs.push(elapsedMs);
      } catch (error) {
        fail(index, error instanceof Error ? error.message : String(error));
      }
    }
  };

  const started = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    agent.destroy();
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { ok: latenciesMs.length, latenciesMs, failures, unsent: bodies.length - next, wallMs };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
