/**
 * Backend store URIs checked as MLflow reads them (SQLAlchemy's URL grammar) before anything
 * is opened or created: `sqlite://nope` (two slashes) is not a path to `./nope`, `sqlite:` or
 * `postgresql:/x` do not parse, and an unknown scheme is not a FileStore directory.
 */
import { MlflowError } from "../tracking/errors";

/** Database URI schemes this server opens. */
const DATABASE = /^(sqlite|postgres|postgresql)(\+[\w]+)?$/i;
/** Schemes MLflow knows but this server does not open. */
const KNOWN_ELSEWHERE = /^(mysql|mssql)(\+[\w]+)?$/i;

const SQLITE_FORMS = "Valid SQLite URL forms are:\n sqlite:///:memory: (or, sqlite://)\n sqlite:///relative/path/to/file.db\n sqlite:////absolute/path/to/file.db";

/** The kind of store a backend URI names; throws INVALID_PARAMETER_VALUE with MLflow's wording for a malformed one. */
export function checkBackendStoreUri(uri: string): "sql" | "file" {
  if (uri.trim() === "") throw MlflowError.invalidParameterValue("The backend store URI is empty: give a path, file:///path, sqlite:///path.db or postgresql://user:password@host:port/database.");
  const scheme = /^([A-Za-z][\w+.-]*):/.exec(uri)?.[1];
  // A one-letter "scheme" is a Windows drive; no scheme is a local path (the FileStore).
  if (scheme === undefined || scheme.length === 1 || scheme.toLowerCase() === "file") return "file";
  if (DATABASE.test(scheme)) {
    // SQLAlchemy's grammar: name://[user[:password]@][host][:port][/database][?query]
    if (!/^[\w+]+:\/\//.test(uri)) throw MlflowError.invalidParameterValue(`Could not parse SQLAlchemy URL from string '${uri}'`);
    if (/^sqlite/i.test(scheme)) {
      const rest = uri.slice(uri.indexOf("://") + 3).replace(/\?.*$/s, "");
      if (rest !== "" && !rest.startsWith("/")) throw MlflowError.invalidParameterValue(`Invalid SQLite URL: ${uri}\n${SQLITE_FORMS}`);
    }
    return "sql";
  }
  if (KNOWN_ELSEWHERE.test(scheme)) {
    throw MlflowError.invalidParameterValue(`Unsupported backend store URI '${uri}': this server stores data in SQLite, PostgreSQL or a FileStore directory.`);
  }
  throw MlflowError.invalidParameterValue(
    `Unsupported backend store URI '${uri}': supported URI schemes are ['', 'file', 'postgresql', 'sqlite'] (a path, file:///path, sqlite:///path.db, postgresql://user:password@host:port/database).`,
  );
}
