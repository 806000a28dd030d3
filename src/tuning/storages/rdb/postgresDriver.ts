/**
 * {@link SqlDriver} over node-postgres (`pg`): `?` placeholders become `$1, $2...`, inserts
 * return their id with `RETURNING`, and a transaction holds one pooled client from BEGIN to
 * COMMIT. Trial creation locks the study row (`SELECT ... FOR UPDATE`), so workers on many
 * machines number their trials without gaps or duplicates. `pg` is an optional dependency,
 * loaded by {@link PostgresDriver.fromUrl}; the driver's own interfaces below keep its types
 * out of ours.
 */
import { Row, RunResult, SqlDriver, SqlValue } from "./driver";
import { requireOptional } from "../../../util/optionalDependency";

/** Rewrites `?` placeholders as PostgreSQL's `$n`. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** What the driver calls on a node-postgres `Pool` or `PoolClient`. */
export interface PostgresQueryable {
  /** Runs one statement with `$n` placeholders. */
  query(sql: string, params?: SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** A connection taken from the pool for one transaction (node-postgres's `PoolClient` fits). */
export interface PostgresPoolClient extends PostgresQueryable {
  /** Gives the connection back to the pool. */
  release(): void;
}

/** What the driver needs of a connection pool (node-postgres's `new Pool(...)` fits). */
export interface PostgresPool extends PostgresQueryable {
  /** Takes a connection for a transaction. */
  connect(): Promise<PostgresPoolClient>;
  /** Listens for an idle connection's errors. */
  on(event: "error", listener: (err: Error) => void): unknown;
  /** Closes every connection. */
  end(): Promise<void>;
}

async function runQuery(db: PostgresQueryable, sql: string, params: readonly SqlValue[]): Promise<{ rows: Row[]; rowCount: number | null }> {
  return db.query(toPostgresPlaceholders(sql), [...params]);
}

/** A pool of PostgreSQL connections. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgresql" as const;

  constructor(private readonly pool: PostgresPool) {
    // An idle client losing its server (a restart) must surface on the next query, not crash the process.
    pool.on("error", () => undefined);
  }

  /** Connects to a `postgresql://user@host:port/db` URL. */
  static fromUrl(url: string, maxConnections = 4): PostgresDriver {
    const { Pool } = requireOptional<typeof import("pg")>("pg", "PostgreSQL study storage (postgresql://...)");
    return new PostgresDriver(new Pool({ connectionString: url, max: maxConnections }));
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await runQuery(this.pool, sql, params)).rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const r = await runQuery(this.pool, sql, params);
    return { changes: r.rowCount ?? 0, lastInsertId: -1 };
  }

  async insert(sql: string, params: readonly SqlValue[], idColumn: string): Promise<number> {
    const r = await runQuery(this.pool, `${sql} RETURNING ${idColumn}`, params);
    return Number(r.rows[0]?.[idColumn]);
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PostgresTransaction(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTransaction implements SqlDriver {
  readonly dialect = "postgresql" as const;
  constructor(private readonly client: PostgresPoolClient) {}

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await runQuery(this.client, sql, params)).rows;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const r = await runQuery(this.client, sql, params);
    return { changes: r.rowCount ?? 0, lastInsertId: -1 };
  }

  async insert(sql: string, params: readonly SqlValue[], idColumn: string): Promise<number> {
    const r = await runQuery(this.client, `${sql} RETURNING ${idColumn}`, params);
    return Number(r.rows[0]?.[idColumn]);
  }

  async transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}
