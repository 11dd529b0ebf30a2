import { Agent, request } from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { createLogger, type Logger } from '../../src/logger';

/** One keep-alive connection pool for the fuzz requests (they go one at a time). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

export interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

/**
 * A request sent as given: the path byte for byte (bad percent-encoding, raw Latin-1 bytes and
 * all, which fetch would normalise), any headers, any body.
 */
export function rawRequest(
  base: string,
  req: { method: string; path: string; headers?: Record<string, string | undefined>; body?: Buffer },
): Promise<RawReply> {
  const url = new URL(base);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[name] = value;
  if (req.body) headers['content-length'] = String(req.body.length);
  return new Promise((resolve, reject) => {
    const r = request(
      { agent, host: url.hostname, port: url.port, method: req.method, path: req.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Every table the service writes (service/src/db/schema.ts). */
const TABLES = [
  'stores',
  'settings',
  'inbound_events',
  'contacts',
  'consent_ledger',
  'carts',
  'orders',
  'product_views',
  'channel_nudges',
  'lane_settings',
  'enrollments',
  'enrollment_history',
  'messages',
  'links',
  'clicks',
  'restore_tokens',
];

/**
 * The database's content in one string: each table's CHECKSUM TABLE (which changes with any
 * row inserted, updated or deleted) and row count. Equal before and after a request means the
 * request changed nothing.
 */
export async function fingerprint(db: Db): Promise<string> {
  const list = sql.join(TABLES.map((t) => sql.table(t)));
  const { rows } = await sql<{ Table: string; Checksum: string | number | null }>`CHECKSUM TABLE ${list}`.execute(db);
  const counts = await sql<Record<string, number>>`SELECT ${sql.join(
    TABLES.map((t) => sql`(SELECT COUNT(*) FROM ${sql.table(t)}) AS ${sql.ref(t)}`),
  )}`.execute(db);
  return JSON.stringify({
    checksums: rows.map((r) => [r.Table.split('.').pop(), String(r.Checksum)]),
    counts: counts.rows[0],
  });
}

/** A logger that keeps the app's error lines, to show beside a 5xx (whose cause they name). */
export function errorLog(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('error', { write: (line: string) => void lines.push(line) }), lines };
}

/**
 * Counts what the fuzz saw, per endpoint, and prints it once at the end of the file (the
 * closing note's figures: cases run, 5xx seen).
 */
export function tally(name: string): { seen(status: number): void } {
  const byClass = new Map<string, number>();
  let cases = 0;
  let first = 0;
  let last = 0;
  afterAll(() => {
    const classes = [...byClass].sort().map(([k, n]) => `${k}: ${n}`);
    process.stdout.write(
      `fuzz ${name}: ${cases} cases in ${((last - first) / 1000).toFixed(1)} s (${classes.join(', ')}); ` +
        `5xx: ${byClass.get('5xx') ?? 0}\n`,
    );
  });
  return {
    seen(status: number) {
      if (cases++ === 0) first = Date.now();
      last = Date.now();
      const key = `${Math.floor(status / 100)}xx`;
      byClass.set(key, (byClass.get(key) ?? 0) + 1);
    },
  };
}
