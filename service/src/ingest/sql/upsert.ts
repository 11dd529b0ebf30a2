import { sql, type Insertable } from 'kysely';
import type { Database } from '../../db/schema';
import type { Trx } from '../../db/database';

/**
 * Multi-row `INSERT … ON DUPLICATE KEY UPDATE col = VALUES(col)` for the given columns: one
 * round trip writes every row, new or existing. (VALUES() is the spelling both MariaDB and
 * MySQL 8 accept.) Rows must already be locked or be new; callers sort them by key.
 */
export async function upsertRows<T extends keyof Database>(
  trx: Trx,
  table: T,
  rows: Array<Insertable<Database[T]>>,
  update: ReadonlyArray<keyof Database[T] & string>,
): Promise<void> {
  if (rows.length === 0) return;
  const set = Object.fromEntries(update.map((column) => [column, sql`VALUES(${sql.ref(column)})`]));
  // Kysely cannot check a table chosen at run time: the rows' type above is the check.
  await trx
    .insertInto(table)
    .values(rows as never)
    .onDuplicateKeyUpdate(set as never)
    .execute();
}

/** Splits rows so one statement stays far below max_allowed_packet. */
export function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
