import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb, dropDatabase, ensureDatabase, type Db } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

/** The server the tests use; each test file gets a database of its own on it. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(migrate = true): Promise<TestDatabase> {
  const url = new URL(testServerUrl());
  url.pathname = `/cartback_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  if (migrate) await migrateToLatest(db);
  return {
    url: databaseUrl,
    db,
    drop: async () => {
      await db.destroy();
      await dropDatabase(databaseUrl);
    },
  };
}

/** How many rows a table holds. */
export async function countRows(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n);
}
