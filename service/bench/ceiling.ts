import { randomBytes } from 'node:crypto';
import type { StoreEvent } from '@cartback/shared';
import { format } from 'mysql2';
import { createPool, type Pool, type ResultSetHeader } from 'mysql2/promise';
import { poolOptions } from '../src/db/database';

/** Not `inbound_events_ceiling`: that name belongs to the all-rows ceiling (bench/replay.ts). */
export const CEILING_TABLE = 'inbound_events_log_ceiling';

const COLUMNS = '(store_id, event_id, type, occurred_at, received_at, receipt, payload)';

/** "2026-11-21 10:15:00.000": a DATETIME(3) literal in UTC. */
function datetime(value: Date | string): string {
  return new Date(value).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * One multi-row INSERT per batch, with the rows the sidecar writes to inbound_events for it
 * (payload = the event's JSON, one receipt per batch). Formatted ahead of time, so the timed
 * part is only the database's work and the round trips.
 */
export function insertStatements(storeId: number, batches: ReadonlyArray<readonly StoreEvent[]>): string[] {
  return batches.map((events) => {
    const receipt = randomBytes(16).toString('hex');
    const receivedAt = datetime(new Date());
    const rows = events.map((e) => [
      storeId,
      e.id,
      e.type,
      datetime(e.occurred_at),
      receivedAt,
      receipt,
      JSON.stringify(e),
    ]);
    return format(`INSERT INTO ${CEILING_TABLE} ${COLUMNS} VALUES ?`, [rows]);
  });
}

export interface CeilingOptions {
  databaseUrl: string;
  concurrency: number;
  /** Run first, not timed: fills the pool's connections and the table's first pages. */
  warmup: readonly string[];
  measured: readonly string[];
  timeLimitMs: number;
  signal?: AbortSignal;
}

export interface CeilingResult {
  rows: number;
  wallMs: number;
}

/** Runs the statements with `concurrency` in flight; resolves with the rows they inserted. */
export async function runAll(
  pool: Pool,
  statements: readonly string[],
  concurrency: number,
  stop: () => boolean,
): Promise<number> {
  let next = 0;
  let rows = 0;
  const worker = async (): Promise<void> => {
    while (next < statements.length) {
      if (stop()) throw new Error('the raw INSERT phase was stopped (time limit or interrupt)');
      const statement = statements[next++];
      if (statement === undefined) break;
      const [result] = await pool.query<ResultSetHeader>(statement);
      rows += result.affectedRows;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return rows;
}

/**
 * The ceiling: the same rows written straight into a copy of inbound_events (CREATE TABLE …
 * LIKE), each statement its own autocommit transaction, with the same concurrency.
 */
export async function runCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const pool = createPool(poolOptions(options.databaseUrl, { connectionLimit: options.concurrency }));
  let timedOut = false;
  const timer = setTimeout(() => (timedOut = true), options.timeLimitMs);
  const stop = () => timedOut || options.signal?.aborted === true;
  try {
    await pool.query(`DROP TABLE IF EXISTS ${CEILING_TABLE}`);
    await pool.query(`CREATE TABLE ${CEILING_TABLE} LIKE inbound_events`);
    await runAll(pool, options.warmup, options.concurrency, stop);
    const started = process.hrtime.bigint();
    const rows = await runAll(pool, options.measured, options.concurrency, stop);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { rows, wallMs };
  } finally {
    clearTimeout(timer);
    await pool.end();
  }
}
