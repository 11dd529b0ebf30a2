import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A node child process for a benchmark (the sidecar, the fake WhatsApp Cloud API): spawned
 * with a minimal environment, the tail of its output kept for error messages, ready once its
 * health probe answers 200, stopped with SIGTERM and then SIGKILL.
 */

export { freePort } from '../src/demo/system';

export interface NodeChild {
  pid: number | undefined;
  /** The last few KiB the child wrote to stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). Resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface NodeChildOptions {
  /** In messages: "the <name> exited before it was ready", "--- <name> output ---". */
  name: string;
  /** Node flags, then the script, then its arguments. */
  args: string[];
  /** The child's environment (PATH is added). */
  env: Record<string, string>;
  /** The readiness probe's HTTP status; 0 when it did not answer. */
  probe(): Promise<number>;
  /** The default grace period of stop(). */
  graceMs: number;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Spawns the child and resolves once its probe answers 200; stops it and throws otherwise. */
export async function startNodeChild(options: NodeChildOptions): Promise<NodeChild> {
  const { name } = options;
  const child = spawn(process.execPath, options.args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
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

  const handle: NodeChild = {
    pid: child.pid,
    output: () => tail.trim(),
    stop: (graceMs = options.graceMs) => stopChild(child, exited, graceMs),
  };
  try {
    await waitReady(options, child);
  } catch (error) {
    await handle.stop(2_000);
    const detail = tail.trim() ? `\n--- ${name} output ---\n${tail.trim()}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`);
  }
  return handle;
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

async function waitReady(options: NodeChildOptions, child: ChildProcess): Promise<void> {
  const { name, signal } = options;
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new Error('interrupted');
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the ${name} exited before it was ready (${child.exitCode ?? child.signalCode})`);
    }
    if ((await options.probe()) === 200) return;
    if (Date.now() > deadline) throw new Error(`the ${name} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
