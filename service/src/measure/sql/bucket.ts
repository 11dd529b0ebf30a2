import { sql, type RawBuilder } from 'kysely';

/**
 * The period index of a DATETIME column, for GROUP BY: MariaDB's `INTERVAL(x, b₀, b₁, …)` is the
 * number of boundaries ≤ x, so with rows at or after b₀ the index is that minus one. With no
 * boundaries (no split by period) every row is period 0.
 */
export function bucketOf(column: string, boundaries: readonly number[]): RawBuilder<number> {
  if (boundaries.length === 0) return sql<number>`0`;
  const seconds = sql`TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${sql.ref(column)})`;
  return sql<number>`(INTERVAL(${seconds}, ${sql.join(boundaries.map((b) => sql.lit(b)))}) - 1)`;
}

/** A range of time, [from, to), and the period boundaries (seconds) to split it by. */
export interface Range {
  storeId: number;
  from: Date;
  to: Date;
  boundaries: readonly number[];
  /** Only this lane, or every lane. */
  lane?: string | null;
}

/** MariaDB returns SUM() and COUNT() as strings or bigints: a plain number. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
