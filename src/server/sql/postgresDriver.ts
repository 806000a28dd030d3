/**
 * PostgreSQL driver (pg): a pool of connections, one per transaction, `?` placeholders
 * rewritten to `$n`. Transactions run at READ COMMITTED with explicit row locks in the
 * store; unique-key races and serialisation failures are retried a few times.
 */
import type { Pool } from "pg";
import { requireOptional } from "../../util/optionalDependency";
import type { SqlDriver, SqlRow, SqlTx, SqlValue } from "./driver";

const placeholderCache = new Map<string, string>();

/** Rewrites `?` placeholders (outside quotes) to `$1`, `$2`, ... */
export function numberPlaceholders(sql: string): string {
  const cached = placeholderCache.get(sql);
  if (cached !== undefined) return cached;
  let n = 0;
  let out = "";
  let quoted = false;
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === "?" && !quoted ? `$${++n}` : ch;
  }
  placeholderCache.set(sql, out);
  return out;
}

/** Error codes worth retrying: serialization_failure, deadlock_detected, unique_violation (a lost insert race). */
const RETRYABLE = new Set(["40001", "40P01"]);

/** A {@link SqlDriver} over a PostgreSQL database (`postgresql://user:pw@host:port/db`). */
export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  private readonly pool: Pool;

  constructor(readonly uri: string, poolSize = 10) {
    const { Pool } = requireOptional<typeof import("pg")>("pg", "A PostgreSQL tracking store (postgresql://...)");
    this.pool = new Pool({ connectionString: uri.replace(/^postgres(ql)?\+\w+:/, "postgresql:"), max: poolSize });
    // An idle client's error (server restart) must not crash the process.
    this.pool.on("error", () => undefined);
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      const tx: SqlTx = {
        all: async (sql, params = []) => (await client.query(numberPlaceholders(sql), params as SqlValue[])).rows as SqlRow[],
        run: async (sql, params = []) => (await client.query(numberPlaceholders(sql), params as SqlValue[])).rowCount ?? 0,
      };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        const code = (err as { code?: unknown }).code;
        if (typeof code === "string" && RETRYABLE.has(code) && attempt < 5) continue;
        throw err;
      } finally {
        client.release();
      }
    }
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return (await this.pool.query(numberPlaceholders(sql), params as SqlValue[])).rows as SqlRow[];
  }

  /**
   * Runs one statement (its own transaction) as a named prepared statement, parsed and
   * planned once per connection; `sql` uses `$n` placeholders and may take arrays.
   * Retried on serialisation failures and deadlocks, which roll the statement back.
   */
  async prepared(name: string, sql: string, params: readonly (SqlValue | readonly SqlValue[])[]): Promise<SqlRow[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.pool.query({ name, text: sql, values: params as unknown[] })).rows as SqlRow[];
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === "string" && RETRYABLE.has(code) && attempt < 5) continue;
        throw err;
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
