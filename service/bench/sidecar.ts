import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The compiled sidecar entry point, next to this file's compiled output (dist/bench → dist/src). */
export const SIDECAR_MAIN = join(__dirname, '../src/main.js');

/** A port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export interface SidecarProcess {
  port: number;
  pid: number | undefined;
  /** The last few KiB the child wrote to stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). Resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface SidecarOptions {
  databaseUrl: string;
  secret: string;
  /** Extra node flags for the child, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs the sidecar in its own process (so it does not share an event loop with the load
 * generator) and resolves once GET /readyz answers 200.
 */
export async function startSidecarProcess(options: SidecarOptions): Promise<SidecarProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SIDECAR_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      CARTBACK_SECRET: options.secret,
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

  const sidecar: SidecarProcess = {
    port,
    pid: child.pid,
    output: () => tail.trim(),
    stop: (graceMs = 15_000) => stopChild(child, exited, graceMs),
  };
  try {
    await waitReady(port, child, options.readyTimeoutMs ?? 30_000, options.signal);
  } catch (error) {
    await sidecar.stop(2_000);
    const detail = tail.trim() ? `\n--- sidecar output ---\n${tail.trim()}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`);
  }
  return sidecar;
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

function readyzStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/readyz', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new Error('interrupted');
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the sidecar exited before it was ready (${child.exitCode ?? child.signalCode})`);
    }
    if ((await readyzStatus(port)) === 200) return;
    if (Date.now() > deadline) throw new Error(`the sidecar was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
