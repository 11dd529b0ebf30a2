/**
 * The all-rows ceiling: every row the sidecar's run stored, in every table ingestion writes, read
 * back from the bench database and inserted again into empty copies of those tables with plain
 * 100-row INSERTs. It is what the same rows cost the database without the sidecar's reads,
 * upserts, transactions and HTTP.
 */
import { format, type SqlValue } from 'mysql2';
import { createPool, type FieldPacket, type Pool, type RowDataPacket } from 'mysql2/promise';
import { poolOptions } from '../src/db/database';
import { runAll } from './ceiling';

/**
 * The tables ingestion writes, each with the ORDER BY that replays its rows in about the order
 * the sidecar stored them (arrival order, not primary-key order: inbound_events' keys are random
 * UUIDs, and inserting them sorted would turn the sidecar's scattered B-tree inserts into appends
 * and flatter the ceiling). Carts and orders are upserted: their rows are the final state, each
 * inserted once.
 */
export const INGESTED_TABLES: ReadonlyArray<{ table: string; orderBy: string }> = [
  { table: 'inbound_events', orderBy: 'received_at, receipt' },
  { table: 'contacts', orderBy: 'id' },
  { table: 'consent_ledger', orderBy: 'id' },
  { table: 'carts', orderBy: 'created_at, cart_key' },
  { table: 'orders', orderBy: 'created_at, order_id' },
  { table: 'product_views', orderBy: 'id' },
  { table: 'channel_nudges', orderBy: 'id' },
];

export const ROWS_PER_STATEMENT = 100;

export function ceilingTable(table: string): string {
  return `${table}_ceiling`;
}

export interface StoredTable {
  table: string;
  rows: number;
  /** Pre-formatted multi-row INSERTs into the table's `_ceiling` copy. */
  statements: string[];
}

/** Options for reading: DATETIMEs as the server's own strings, so they go back byte for byte. */
function readOptions(databaseUrl: string, connectionLimit: number) {
  return poolOptions(databaseUrl, { connectionLimit, dateStrings: true });
}

/**
 * Reads every row of each ingested table (SELECT *: exactly what the sidecar stored, warm-up
 * batches included) and formats the INSERT statements that write them again, explicit ids and all.
 */
export async function readStoredRows(databaseUrl: string): Promise<StoredTable[]> {
  const pool = createPool(readOptions(databaseUrl, 1));
  try {
    const tables: StoredTable[] = [];
    for (const { table, orderBy } of INGESTED_TABLES) {
      const [rows, fields]: [RowDataPacket[], FieldPacket[]] = await pool.query<RowDataPacket[]>(
        `SELECT * FROM \`${table}\` ORDER BY ${orderBy}`,
      );
      const names = fields.map((f) => f.name);
      const columns = names.map((n) => `\`${n}\``).join(', ');
      const statements: string[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const values = rows
          .slice(i, i + ROWS_PER_STATEMENT)
          .map((row) => names.map((n): SqlValue => row[n] as SqlValue));
        statements.push(format(`INSERT INTO \`${ceilingTable(table)}\` (${columns}) VALUES ?`, [values]));
      }
      tables.push({ table, rows: rows.length, statements });
    }
    return tables;
  } finally {
    await pool.end();
  }
}

export interface ReplayOptions {
  databaseUrl: string;
  concurrency: number;
  tables: readonly StoredTable[];
  timeLimitMs: number;
  signal?: AbortSignal;
}

export interface ReplayResult {
  rows: number;
  wallMs: number;
}

/** Opens all `concurrency` connections before the clock starts, as the sidecar's pool was warm. */
async function openConnections(pool: Pool, concurrency: number): Promise<void> {
  const conns = await Promise.all(Array.from({ length: concurrency }, () => pool.getConnection()));
  for (const conn of conns) conn.release();
}

/** Tables whose copy does not hold the same rows as the original (CHECKSUM TABLE), for an error. */
async function mismatches(pool: Pool, tables: readonly StoredTable[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const { table } of tables) {
    const [sums] = await pool.query<RowDataPacket[]>(`CHECKSUM TABLE \`${table}\`, \`${ceilingTable(table)}\``);
    const [a, b] = sums.map((s) => String(s.Checksum));
    if (a === undefined || a === 'null' || a !== b) wrong.push(`${table} (checksum ${a}, copy ${b})`);
  }
  return wrong;
}

/**
 * Creates empty copies (CREATE TABLE … LIKE) and times the insert of all the tables' rows: every
 * statement in one list (table after table) with `concurrency` in flight, each its own
 * autocommit transaction. Then checks the copies hold exactly the original rows.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { concurrency, tables } = options;
  const pool = createPool(readOptions(options.databaseUrl, concurrency));
  let timedOut = false;
  const timer = setTimeout(() => (timedOut = true), options.timeLimitMs);
  const stop = () => timedOut || options.signal?.aborted === true;
  try {
    for (const { table } of tables) {
      await pool.query(`DROP TABLE IF EXISTS \`${ceilingTable(table)}\``);
      await pool.query(`CREATE TABLE \`${ceilingTable(table)}\` LIKE \`${table}\``);
    }
    await openConnections(pool, concurrency);
    const statements = tables.flatMap((t) => t.statements);
    const started = process.hrtime.bigint();
    const rows = await runAll(pool, statements, concurrency, stop);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const wrong = await mismatches(pool, tables);
    if (wrong.length > 0) throw new Error(`the _ceiling copies differ from the originals: ${wrong.join(', ')}`);
    return { rows, wallMs };
  } finally {
    clearTimeout(timer);
    await pool.end();
  }
}
