/**
 * SQLite driver (better-sqlite3). The library is synchronous, so one connection serves
 * every request of the process; transactions are queued so that an async transaction
 * body never interleaves with another one on the same connection. `BEGIN IMMEDIATE`
 * serialises writers across connections and processes sharing the file; when the file
 * is locked it is retried with an async backoff (never SQLite's blocking busy wait,
 * which would stall the event loop and, with two connections in one process, deadlock).
 * WAL lets readers run during a write.
 */
import type Database from "better-sqlite3";
import { dirname } from "node:path";
import type { SqlDriver, SqlRow, SqlTx, SqlValue } from "./driver";
import { makeDirs } from "../../util/makeDirs";
import { requireOptional } from "../../util/optionalDependency";

type Statement = Database.Statement<unknown[]>;

/** A {@link SqlDriver} over one SQLite file (`:memory:` works for tests of one process). */
export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {
    if (path !== ":memory:") makeDirs(dirname(path));
    const BetterSqlite3 = requireOptional<typeof Database>("better-sqlite3", "A SQLite tracking store (sqlite:///...)");
    this.db = new BetterSqlite3(path);
    // Opening may meet another process's write (switching to WAL needs a moment alone): wait for it
    // here, while nothing else runs, then turn the blocking wait off for the serving life.
    this.db.pragma("busy_timeout = 10000");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 0");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
  }

  private prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (st === undefined) {
      st = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private readonly tx: SqlTx = {
    all: async (sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> => {
      const st = this.prepare(sql);
      return st.reader ? (st.all(...(params as unknown[])) as SqlRow[]) : (st.run(...(params as unknown[])), []);
    },
    run: async (sql: string, params: readonly SqlValue[] = []): Promise<number> => this.prepare(sql).run(...(params as unknown[])).changes,
  };

  /** Adds a deterministic SQL function written in JavaScript, run by SQLite in this thread. */
  defineFunction(name: string, fn: (...args: unknown[]) => SqlValue): void {
    this.db.function(name, { deterministic: true }, fn);
  }

  /** Runs raw DDL (several statements). */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  private async beginImmediate(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.exec("BEGIN IMMEDIATE");
        return;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if ((code !== "SQLITE_BUSY" && code !== "SQLITE_LOCKED") || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, Math.min(50, 1 + attempt * 2) * (0.5 + Math.random())));
      }
    }
  }

  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      await this.beginImmediate();
      try {
        const result = await fn(this.tx);
        this.db.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    // Wait for queued transactions so a read never sees this process's half-done writes.
    await this.queue;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.tx.all(sql, params);
      } catch (err) {
        // With busy_timeout 0, a WAL reader can rarely meet a lock (recovery, checkpoint): retry.
        if ((err as { code?: unknown }).code !== "SQLITE_BUSY" || attempt >= 200) throw err;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}
