import { sql } from 'kysely';
import type { Db } from '../../src/db/database';

/** Every table of the test database, from information_schema (so a table added later is included). */
export async function tableNames(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT TABLE_NAME AS name FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
    ORDER BY TABLE_NAME`.execute(db);
  return rows.map((r) => r.name);
}

/** Every column that can hold text, in every table. */
export async function textColumns(db: Db): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await sql<{ table: string; column: string }>`
    SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\` FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE()
      AND DATA_TYPE IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json', 'enum', 'set',
                        'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob')
    ORDER BY TABLE_NAME, ORDINAL_POSITION`.execute(db);
  return rows;
}

/**
 * Where any of `needles` occurs, case-insensitively, in any text column of any table: one
 * `table.column` entry per column with the number of rows. Empty means the value is nowhere.
 */
export async function whereMentioned(db: Db, needles: readonly string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const lowered = [...new Set(needles.map((n) => n.toLowerCase()))];
  for (const { table, column } of await textColumns(db)) {
    const text = sql`LOWER(CONVERT(${sql.ref(column)} USING utf8mb4))`;
    const terms = lowered.map((needle) => sql`INSTR(${text}, ${needle}) > 0`);
    const { rows } = await sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE ${sql.join(terms, sql` OR `)}`.execute(db);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) found[`${table}.${column}`] = n;
  }
  return found;
}

/** Every row of every table, for "nothing changed" checks. */
export async function everyRow(db: Db): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of await tableNames(db)) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
    all[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return all;
}
