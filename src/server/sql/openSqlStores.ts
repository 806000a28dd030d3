/**
 * Opens the SQL stores for a database URI: `sqlite:///relative.db`, `sqlite:////abs/path.db`,
 * `sqlite://:memory:`... and `postgresql://user:pw@host:port/db`; migrates the schema and
 * creates experiment 0 "Default".
 */
import { resolve } from "node:path";
import { MlflowError } from "../../tracking/errors";
import type { SqlDriver } from "./driver";
import { migrate } from "./migrations";
import { PostgresDriver } from "./postgresDriver";
import { SqliteDriver } from "./sqliteDriver";
import { SqlRegistryStore } from "./sqlRegistryStore";
import { SqlTrackingStore } from "./sqlTrackingStore";

/** The tracking and registry stores over one database. */
export interface SqlStores {
  readonly tracking: SqlTrackingStore;
  readonly registry: SqlRegistryStore;
  readonly driver: SqlDriver;
  close(): Promise<void>;
}

/** The SQLite file of a `sqlite:` URI as SQLAlchemy reads it (`sqlite:///rel`, `sqlite:////abs`). */
export function sqlitePathOfUri(uri: string): string {
  const m = /^sqlite(?:\+\w+)?:\/\/(\/?)([^?]*)(\?.*)?$/s.exec(uri);
  if (m === null || (m[1] === "" && m[2] !== "")) throw MlflowError.invalidParameterValue(`Invalid SQLite URI '${uri}': expected sqlite:///relative/path.db or sqlite:////absolute/path.db.`);
  // The query (`?timeout=...`) holds driver options, never part of the file name.
  const rest = m[2] as string;
  if (rest === "" || rest === ":memory:") return ":memory:";
  return rest.startsWith("/") ? rest : resolve(rest);
}

/** Opens a driver for a database URI. */
export function openSqlDriver(uri: string): SqlDriver {
  if (/^sqlite:/i.test(uri)) return new SqliteDriver(sqlitePathOfUri(uri));
  if (/^postgres(ql)?(\+\w+)?:/i.test(uri)) return new PostgresDriver(uri);
  throw MlflowError.invalidParameterValue(`Unsupported backend store URI '${uri}': use sqlite:///path.db or postgresql://user:password@host:port/database.`);
}

/** Opens, migrates and initialises the stores behind `uri`; new experiments put artifacts under `defaultArtifactRoot`. */
export async function openSqlStores(uri: string, defaultArtifactRoot: string): Promise<SqlStores> {
  const driver = openSqlDriver(uri);
  try {
    await migrate(driver);
    const tracking = new SqlTrackingStore(driver, { trackingUri: uri, defaultArtifactRoot });
    await tracking.ensureDefaultExperiment();
    return {
      tracking,
      registry: new SqlRegistryStore(driver),
      driver,
      close: async () => {
        await tracking.drain();
        await driver.close();
      },
    };
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
}
