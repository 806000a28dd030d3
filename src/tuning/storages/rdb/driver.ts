/**
 * The seam between the RDB storage and a database client. SQL is written once with `?`
 * placeholders; a driver rewrites them for its dialect (e.g. `$1` for PostgreSQL) and runs
 * them. Everything is asynchronous so that a networked client fits as well as SQLite.
 */

/** A row as returned by the driver. */
export type Row = Record<string, unknown>;

/** A bound parameter. */
export type SqlValue = string | number | null;

/** Result of a write. */
export interface RunResult {
  changes: number;
  /** Id of the inserted row (RETURNING-free dialects report it here). */
  lastInsertId: number;
}

/** One connection (or pool) to an Optuna RDB database. */
export interface SqlDriver {
  /** "sqlite" or "postgresql": selects DDL and a few dialect-specific statements. */
  readonly dialect: "sqlite" | "postgresql";
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Runs an INSERT and returns the generated value of `idColumn`. */
  insert(sql: string, params: readonly SqlValue[], idColumn: string): Promise<number>;
  /** Runs `fn` in a write transaction that other processes cannot interleave with. */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
