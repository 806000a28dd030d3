/**
 * MLflow's run search pushed into SQL: a parsed filter and order_by become one SELECT of the
 * page's run ids (SQLite or PostgreSQL), with every value bound, never written into the text.
 * It answers exactly what `filterRuns` / `sortRuns` / `paginate` (tracking/search.ts) answer
 * over the same runs:
 * - metrics compare their latest value; a NaN latest value matches only `!=`; a run without
 *   the key (or an attribute that is NULL, e.g. `end_time`) matches nothing;
 * - LIKE and ILIKE use tracking/likePattern.ts's meaning (`_` one code point, JavaScript's
 *   non-Unicode case folding spelled out as character classes): SQLite GLOB, PostgreSQL
 *   `LIKE ... ESCAPE ''` or a regular expression under the "C" collation;
 * - order_by: each clause puts missing values last (NaN before none), strings in code point
 *   order (SQLite's BINARY, PostgreSQL's "C"), then start time descending and run id.
 * {@link runSearchSql} answers null where SQL cannot keep that meaning and the caller filters
 * and sorts in JavaScript instead:
 * - ordering by a `datasets.` field (a run's first dataset in logged order);
 * - a bound string holding NUL (PostgreSQL's text cannot; SQLite's GLOB stops at it) or half a
 *   surrogate pair (the drivers send it as U+FFFD, which values can equal);
 * - more bound values than SQLite accepts in one statement.
 */
import { DATASET_CONTEXT_TAG, canonicalRunAttribute, type FilterClause, type OrderByClause } from "../../tracking/search";
import { foldsCase, likeToGlob, likeToPostgresRegex, likeToRegExp } from "../../tracking/likePattern";
import type { SqlDialect, SqlValue } from "./driver";

/** What one search asks for, already parsed and validated. */
export interface RunSearchQuery {
  readonly experimentIds: readonly number[];
  readonly lifecycleStages: readonly string[];
  readonly filter: readonly FilterClause[];
  readonly orderBy: readonly OrderByClause[];
  readonly offset: number;
  readonly limit: number;
}

/** A statement and its bound values, in placeholder order. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** The SQLite function that matches a LIKE pattern on values holding NUL, where GLOB stops short. */
export const SQLITE_LIKE_FUNCTION = "mlflow_like";

/** The body of {@link SQLITE_LIKE_FUNCTION}: `mlflow_like(value, pattern, case_insensitive)`. */
export function sqliteLikeFunction(value: unknown, pattern: unknown, caseInsensitive: unknown): number {
  if (typeof value !== "string" || typeof pattern !== "string") return 0;
  return likeToRegExp(pattern, Number(caseInsensitive) === 1).test(value) ? 1 : 0;
}

/** Below SQLite's limit of bound values in one statement (32,766). */
const MAX_BOUND_VALUES = 30_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Thrown while building when SQL cannot keep the meaning; caught by {@link runSearchSql}. */
class NotExpressible extends Error {}

class Binder {
  readonly params: SqlValue[] = [];

  constructor(readonly dialect: SqlDialect) {}

  text(value: string): string {
    if (value.includes("\0") || LONE_SURROGATE.test(value)) throw new NotExpressible();
    this.params.push(value);
    return "?";
  }

  number(value: number): string {
    this.params.push(value);
    // PostgreSQL would type the value after the column (BIGINT refuses 1.5 and 1e20).
    return this.dialect === "postgres" ? "CAST(? AS DOUBLE PRECISION)" : "?";
  }

  /** A text expression ordered by code point. */
  ordered(expression: string): string {
    return this.dialect === "postgres" ? `${expression} COLLATE "C"` : expression;
  }
}

const SQL_COMPARATORS: Record<string, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/** The runs column of an attribute: its expression, whether it is text, whether it may be NULL. */
interface AttributeColumn {
  readonly column: string;
  readonly text: boolean;
  readonly nullable: boolean;
}

const ATTRIBUTE_COLUMNS: Record<string, AttributeColumn> = {
  run_id: { column: "r.run_uuid", text: true, nullable: false },
  run_name: { column: "r.name", text: true, nullable: false },
  status: { column: "r.status", text: true, nullable: false },
  artifact_uri: { column: "r.artifact_uri", text: true, nullable: false },
  user_id: { column: "r.user_id", text: true, nullable: false },
  start_time: { column: "r.start_time", text: false, nullable: false },
  end_time: { column: "r.end_time", text: false, nullable: true },
  // The reference compares experiment ids as strings ("10" < "9"), as MLflow's file store does.
  experiment_id: { column: "CAST(r.experiment_id AS TEXT)", text: true, nullable: false },
  lifecycle_stage: { column: "r.lifecycle_stage", text: true, nullable: false },
};

function attributeColumn(key: string): AttributeColumn {
  const found = ATTRIBUTE_COLUMNS[canonicalRunAttribute(key)];
  if (found === undefined) throw new NotExpressible();
  return found;
}

function stringPredicate(b: Binder, column: string, clause: FilterClause): string {
  const value = clause.value;
  switch (clause.comparator) {
    case "=":
    case "!=":
      return `${column} ${SQL_COMPARATORS[clause.comparator]} ${b.text(value as string)}`;
    case "IN":
    case "NOT IN": {
      const items = value as readonly string[];
      if (items.length === 0) return clause.comparator === "IN" ? "1 = 0" : "1 = 1";
      return `${column} ${clause.comparator} (${items.map((v) => b.text(v)).join(", ")})`;
    }
    case "LIKE":
    case "ILIKE": {
      const pattern = value as string;
      const caseInsensitive = clause.comparator === "ILIKE";
      if (b.dialect === "sqlite") {
        const glob = b.text(likeToGlob(pattern, caseInsensitive));
        return `CASE WHEN instr(${column}, char(0)) = 0 THEN ${column} GLOB ${glob} ELSE ${SQLITE_LIKE_FUNCTION}(${column}, ${b.text(pattern)}, ${caseInsensitive ? 1 : 0}) END`;
      }
      if (!caseInsensitive || !foldsCase(pattern)) return `${column} LIKE ${b.text(pattern)} ESCAPE ''`;
      return `(${column} COLLATE "C") ~ ${b.text(likeToPostgresRegex(pattern, true))}`;
    }
    default:
      throw new NotExpressible();
  }
}

function numberPredicate(b: Binder, column: string, clause: FilterClause): string {
  const op = SQL_COMPARATORS[clause.comparator];
  if (op === undefined || typeof clause.value !== "number") throw new NotExpressible();
  return `${column} ${op} ${b.number(clause.value)}`;
}

/** A run's dataset inputs, as readRunEdges reads them (`d` the dataset, `i` the input). */
const DATASET_INPUTS = "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id";
const OF_THE_RUN = "i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = r.run_uuid";

function filterPredicate(b: Binder, clause: FilterClause): string {
  switch (clause.type) {
    case "attribute": {
      const { column } = attributeColumn(clause.key);
      return typeof clause.value === "number" ? numberPredicate(b, column, clause) : stringPredicate(b, column, clause);
    }
    case "metric": {
      const key = b.text(clause.key);
      // A NaN latest value is unequal to every number and neither above nor below one.
      const compare = clause.comparator === "!="
        ? `(f.is_nan = 1 OR ${numberPredicate(b, "f.value", clause)})`
        : `f.is_nan = 0 AND ${numberPredicate(b, "f.value", clause)}`;
      return `EXISTS (SELECT 1 FROM latest_metrics f WHERE f.run_uuid = r.run_uuid AND f.key = ${key} AND ${compare})`;
    }
    case "parameter":
    case "tag": {
      const table = clause.type === "parameter" ? "params" : "tags";
      return `EXISTS (SELECT 1 FROM ${table} f WHERE f.run_uuid = r.run_uuid AND f.key = ${b.text(clause.key)} AND ${stringPredicate(b, "f.value", clause)})`;
    }
    case "dataset": {
      // Some dataset of the run matches, as filterRuns asks.
      if (clause.key !== "context") {
        return `EXISTS (SELECT 1 ${DATASET_INPUTS} WHERE ${OF_THE_RUN} AND ${stringPredicate(b, clause.key === "name" ? "d.name" : "d.digest", clause)})`;
      }
      return `EXISTS (SELECT 1 ${DATASET_INPUTS} JOIN input_tags t ON t.input_uuid = i.input_uuid
        WHERE ${OF_THE_RUN} AND t.name = ${b.text(DATASET_CONTEXT_TAG)} AND ${stringPredicate(b, "t.value", clause)})`;
    }
  }
}

/** One ORDER BY clause: its join (if any), then the missing-values rank and the value, in direction. */
function orderTerms(b: Binder, clause: OrderByClause, n: number): { join: string | null; terms: string[] } {
  const direction = clause.ascending ? "ASC" : "DESC";
  const alias = `o${n}`;
  switch (clause.type) {
    case "attribute": {
      const { column, text, nullable } = attributeColumn(clause.key);
      const value = text ? b.ordered(column) : column;
      return { join: null, terms: [...(nullable ? [`CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END`] : []), `${value} ${direction}`] };
    }
    case "metric":
      return {
        join: `LEFT JOIN latest_metrics ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ${b.text(clause.key)}`,
        terms: [`CASE WHEN ${alias}.run_uuid IS NULL THEN 2 WHEN ${alias}.is_nan = 1 THEN 1 ELSE 0 END`, `${alias}.value ${direction}`],
      };
    case "parameter":
    case "tag":
      return {
        join: `LEFT JOIN ${clause.type === "parameter" ? "params" : "tags"} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ${b.text(clause.key)}`,
        terms: [`CASE WHEN ${alias}.run_uuid IS NULL THEN 1 ELSE 0 END`, `${b.ordered(`${alias}.value`)} ${direction}`],
      };
    case "dataset":
      throw new NotExpressible();
  }
}

function placeholders(b: Binder, values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === "number" ? (b.params.push(v), "?") : b.text(v))).join(", ");
}

/**
 * The SELECT of one page of run ids (column `run_uuid`, in order) for `query`, or null when
 * SQL cannot answer exactly what the JavaScript search answers (see the file's comment).
 */
export function runSearchSql(dialect: SqlDialect, query: RunSearchQuery): SqlStatement | null {
  if (query.experimentIds.length === 0 || query.lifecycleStages.length === 0) return null;
  const b = new Binder(dialect);
  try {
    const joins: string[] = [];
    const order: string[] = [];
    query.orderBy.forEach((clause, i) => {
      const { join, terms } = orderTerms(b, clause, i + 1);
      if (join !== null) joins.push(join);
      order.push(...terms);
    });
    const where = [
      `r.experiment_id IN (${placeholders(b, query.experimentIds)})`,
      `r.lifecycle_stage IN (${placeholders(b, query.lifecycleStages)})`,
      ...query.filter.map((clause) => filterPredicate(b, clause)),
    ];
    order.push("r.start_time DESC", `${b.ordered("r.run_uuid")} ASC`);
    b.params.push(query.limit, query.offset);
    if (b.params.length > MAX_BOUND_VALUES) return null;
    const sql = `SELECT r.run_uuid FROM runs r ${joins.join(" ")}
      WHERE ${where.join("\n        AND ")}
      ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`;
    return { sql, params: b.params };
  } catch (err) {
    if (err instanceof NotExpressible) return null;
    throw err;
  }
}
