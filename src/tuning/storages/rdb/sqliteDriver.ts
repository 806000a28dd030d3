/**
 * {@link SqlDriver} over better-sqlite3. Write transactions use `BEGIN IMMEDIATE` (the database
 * write lock is taken at once, so two processes cannot both read the trial count and insert),
 * with a busy timeout so that waiting workers retry instead of failing. Operations on one
 * connection are serialised by an in-process lock, because async callers (concurrent trials)
 * must not slip statements into another caller's transaction.
 */
import type Database from "better-sqlite3";
import { Row, RunResult, SqlDriver, SqlValue } from "./driver";
import { requireOptional } from "../../../util/optionalDependency";

/** Options of {@link SqliteDriver}. */
export interface SqliteDriverOptions {
  /** Milliseconds to wait for another process's lock (default 60 000). */
  busyTimeoutMs?: number;
}

/** A SQLite connection. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly db: Database.Database;
  private lock: Promise<void> = Promise.resolve();
  private inTransaction = false;

  constructor(path: string, options: SqliteDriverOptions = {}) {
    const BetterSqlite3 = requireOptional<typeof Database>("better-sqlite3", "SQLite study storage (sqlite:///...)");
    this.db = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 60_000 });
    this.db.pragma("foreign_keys = ON");
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.exclusive(() => this.db.prepare(sql).all(...params) as Row[]);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.exclusive(() => {
      const r = this.db.prepare(sql).run(...params);
      return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
    });
  }

  async insert(sql: string, params: readonly SqlValue[]): Promise<number> {
    return (await this.run(sql, params)).lastInsertId;
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const release = await this.acquire();
    const tx = new SqliteTransaction(this.db);
    try {
      this.inTransaction = true;
      this.db.exec("BEGIN IMMEDIATE");
      const result = await fn(tx);
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.inTransaction = false;
      release();
    }
  }

  /**
   * Runs one write synchronously when no transaction is open on this connection, and says
   * whether it ran. Lets a synchronous training loop refresh its heartbeat without yielding.
   */
  runSyncIfIdle(sql: string, params: readonly SqlValue[] = []): RunResult | undefined {
    if (this.db.inTransaction || !this.db.open) return undefined;
    const r = this.db.prepare(sql).run(...params);
    return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
  }

  async close(): Promise<void> {
    const release = await this.acquire();
    this.db.close();
    release();
  }

  private async exclusive<T>(fn: () => T): Promise<T> {
    const release = await this.acquire();
    try {
      return fn();
    } finally {
      release();
    }
  }

  private async acquire(): Promise<() => void> {
    const previous = this.lock;
    let release: () => void = () => undefined;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }
}

/** The statements of one open transaction (already holding the connection lock). */
class SqliteTransaction implements SqlDriver {
  readonly dialect = "sqlite" as const;
  constructor(private readonly db: Database.Database) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const r = this.db.prepare(sql).run(...params);
    return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
  }

  async insert(sql: string, params: readonly SqlValue[]): Promise<number> {
    return (await this.run(sql, params)).lastInsertId;
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}
