import { Kysely, MysqlDialect, type Transaction } from 'kysely';
import { createConnection, createPool, type PoolOptions } from 'mysql2';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

/** Connection options from a mysql:// URL; times are exchanged in UTC. */
export function poolOptions(databaseUrl: string, extra: Partial<PoolOptions> = {}): PoolOptions {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || undefined,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_unicode_ci',
    connectionLimit: 10,
    ...extra,
  };
}

export function databaseName(databaseUrl: string): string {
  return new URL(databaseUrl).pathname.replace(/^\//, '');
}

export function createDb(databaseUrl: string, extra: Partial<PoolOptions> = {}): Db {
  const pool = createPool(poolOptions(databaseUrl, extra));
  // Every session works in UTC, so UTC_TIMESTAMP() and NOW() agree with the app's Dates, and
  // in READ COMMITTED: no gap locks on reads, each statement sees what others committed.
  pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });
  return new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error('DATABASE_URL must name a database');
  const conn = createConnection({ ...poolOptions(databaseUrl), database: undefined });
  try {
    await conn
      .promise()
      .query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.promise().end();
  }
}

/** Drops a database (tests and benchmarks only). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const conn = createConnection({ ...poolOptions(databaseUrl), database: undefined });
  try {
    await conn.promise().query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.promise().end();
  }
}
