import { get } from 'node:http';
import { join } from 'node:path';
import { freePort, startNodeChild, type NodeChild } from './child';

/** The compiled sidecar entry point, next to this file's compiled output (dist/bench → dist/src). */
export const SIDECAR_MAIN = join(__dirname, '../src/main.js');

export interface SidecarProcess extends NodeChild {
  port: number;
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
  const child = await startNodeChild({
    name: 'sidecar',
    args: [...(options.nodeArgs ?? []), SIDECAR_MAIN],
    env: {
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      CARTBACK_SECRET: options.secret,
      LOG_LEVEL: 'warn',
    },
    probe: () => readyzStatus(port),
    graceMs: 15_000,
    readyTimeoutMs: options.readyTimeoutMs,
    signal: options.signal,
  });
  return { ...child, port };
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
