import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { signatureHeaders } from '@cartback/shared';
import { ConfigError, loadConfig } from './config';
import { createDb, ensureDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';

const USAGE = `Usage: npm run cartback -- <command>

Commands:
  send-event <file.json>   Sign and send events to the sidecar. The file holds one event, an
                           array of events, or {"events": [...]}; a missing "id" or
                           "occurred_at" is filled in (a new UUID, now).
                           Uses CARTBACK_SECRET and CARTBACK_URL (default http://127.0.0.1:8787).
  migrate                  Create the database at DATABASE_URL if needed and apply migrations.
`;

/** Wraps whatever the file holds into a batch, filling in id and occurred_at where missing. */
export function toBatch(input: unknown): { events: Array<Record<string, unknown>> } {
  const list: unknown[] = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && Array.isArray((input as { events?: unknown }).events)
      ? (input as { events: unknown[] }).events
      : [input];
  return {
    events: list.map((item) => {
      const event = { ...(item as Record<string, unknown>) };
      event.id ??= randomUUID();
      event.occurred_at ??= new Date().toISOString();
      return event;
    }),
  };
}

async function sendEvent(file: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write(USAGE);
    return 2;
  }
  const secret = process.env.CARTBACK_SECRET;
  if (!secret) {
    process.stderr.write('cartback: set CARTBACK_SECRET to the secret the sidecar printed (or was given)\n');
    return 2;
  }
  const base = (process.env.CARTBACK_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`cartback: cannot read ${file} as JSON: ${(error as Error).message}\n`);
    return 2;
  }
  const body = JSON.stringify(toBatch(parsed));
  const path = '/v1/events';
  try {
    const res = await axios.post(base + path, body, {
      headers: { 'Content-Type': 'application/json', ...signatureHeaders(secret, { method: 'POST', path, body }) },
      validateStatus: () => true,
      transformResponse: (data: string) => data,
    });
    process.stdout.write(`${res.status} ${res.data}\n`);
    return res.status >= 200 && res.status < 300 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`cartback: cannot reach the sidecar at ${base}: ${(error as Error).message}\n`);
    return 1;
  }
}

async function migrate(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`cartback: invalid configuration: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  await ensureDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'send-event':
      return sendEvent(args[0]);
    case 'migrate':
      return migrate();
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`cartback: ${error.message}\n`);
      process.exit(1);
    },
  );
}
