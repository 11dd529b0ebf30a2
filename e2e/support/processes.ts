import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/**
 * Processes for the end-to-end run that the demo's system (service/src/demo/system.ts) does not
 * start — WordPress under `php -S`: a child whose output is kept for error messages, a wait until
 * it answers over HTTP, and a stop that waits for the exit.
 */

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

export function start(name: string, command: string, args: string[], env: Record<string, string>, cwd?: string): Proc {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (data: Buffer) => (out = (out + data.toString()).slice(-100_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { name, child, output: () => out, exited };
}

export async function waitForHttp(url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited: ${proc.output()}`);
    const ok = await fetch(url, { redirect: 'manual' }).then(
      (res) => res.status < 500,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} did not answer at ${url}: ${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stop(proc: Proc | undefined): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await proc.exited;
  clearTimeout(timer);
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Drops a database on the local MariaDB through PHP's mysqli (PHP runs the site anyway). */
export function dropDatabase(name: string): void {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  spawnSync(
    'php',
    ['-r', `$m = new mysqli('127.0.0.1', 'root', '', '', 3306); $m->query('DROP DATABASE IF EXISTS \`${name}\`');`],
    { stdio: 'ignore' },
  );
}
