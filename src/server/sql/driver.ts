/**
 * The driver seam of the SQL store: one async interface over SQLite (better-sqlite3,
 * synchronous underneath) and PostgreSQL (pg), so the store's SQL is written once.
 * Statements use `?` placeholders; the PostgreSQL driver numbers them (`$1`, `$2`, ...).
 */

/** A value bound to a placeholder. */
export type SqlValue = string | number | null;

/** One result row, column name to value (numbers may come back as strings from PostgreSQL BIGINT). */
export type SqlRow = Record<string, unknown>;

/** The SQL dialects the store speaks. */
export type SqlDialect = "sqlite" | "postgres";

/** Statements run inside one transaction. */
export interface SqlTx {
  /** Runs a query and resolves to every row. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement and resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** A connection (pool) to one database. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Writers are serialised (SQLite `BEGIN IMMEDIATE`; PostgreSQL row locks and retries
   * on serialisation failures), so concurrent requests lose nothing.
   */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** Runs one read outside an explicit transaction. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  close(): Promise<void>;
}

/** Reads a numeric column (PostgreSQL returns BIGINT as a string); null stays null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}

/** Reads a text column; null stays null. */
export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
