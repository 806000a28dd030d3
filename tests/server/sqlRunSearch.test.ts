/**
 * The SQL store's search pushed into SQL answers exactly what the JavaScript reference
 * (filterRuns / sortRuns / paginate, checked against MLflow 2.17.2 by tests/compat) answers,
 * for generated filters, order_by lists, view types and pages, on SQLite and on a real
 * PostgreSQL; bad filters fail with the reference's errors before any SQL runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlStores, type SqlStores } from "../../src/server/sql/openSqlStores";
import { runSearchSql } from "../../src/server/sql/sqlRunSearch";
import { MlflowError } from "../../src/tracking/errors";
import { parseFilter, parseOrderBy, parsePageToken } from "../../src/tracking/search";
import type { Run } from "../../src/tracking/entities";
import { postgresUnavailable, startTempPostgres, type TempPostgres } from "./postgres";
import { allRuns, generateCases, referenceAnswer, seedRuns, type SearchCase, type SeededRuns } from "./runSearchCases";

const CASES = 600;
const noPostgres = postgresUnavailable();
if (noPostgres !== null) console.log(`SKIPPED SQL run search on PostgreSQL: ${noPostgres}`);

function describeCase(c: SearchCase): string {
  return JSON.stringify({ filter: c.filterString, orderBy: c.orderBy, view: c.runViewType, max: c.maxResults, offset: parsePageToken(c.pageToken), experiments: c.experimentIds.length });
}

function defineSearchSuite(name: string, open: () => Promise<{ stores: SqlStores; withNul: boolean; cleanup: () => Promise<void> }>): void {
  describe(`SQL run search on ${name}`, () => {
    let stores: SqlStores;
    let cleanup: () => Promise<void>;
    let seeded: SeededRuns;
    let runs: Run[];

    beforeAll(async () => {
      const opened = await open();
      stores = opened.stores;
      cleanup = opened.cleanup;
      seeded = await seedRuns(stores.tracking, 90, opened.withNul);
      runs = await allRuns(stores.tracking, seeded.runIds);
    }, 120_000);

    afterAll(async () => {
      await cleanup?.();
    });

    it(`answers ${CASES} generated searches in SQL exactly as the JavaScript reference`, async () => {
      const mismatches: string[] = [];
      let nonEmpty = 0;
      for (const c of generateCases(seeded, CASES, 8)) {
        const stages = c.runViewType === "ALL" ? ["active", "deleted"] : c.runViewType === "DELETED_ONLY" ? ["deleted"] : ["active"];
        const query = { experimentIds: c.experimentIds.map(Number), lifecycleStages: stages, filter: parseFilter(c.filterString), orderBy: c.orderBy.map((o) => parseOrderBy(o)), offset: parsePageToken(c.pageToken), limit: c.maxResults };
        // Every generated search must take the SQL path: none of them needs the JavaScript one.
        if (runSearchSql(stores.driver.dialect, query) === null) mismatches.push(`not in SQL: ${describeCase(c)}`);
        const expected = referenceAnswer(runs, c);
        const page = await stores.tracking.searchRuns({ ...c });
        const actual = page.items.map((r) => r.info.runId);
        if (JSON.stringify(actual) !== JSON.stringify(expected.ids) || page.nextPageToken !== expected.next) {
          mismatches.push(`${describeCase(c)}\n  expected ${JSON.stringify(expected.ids)} next ${expected.next}\n  actual   ${JSON.stringify(actual)} next ${page.nextPageToken}`);
        }
        if (expected.ids.length > 0) nonEmpty++;
        // The page holds whole runs, as getRun reads them.
        for (const r of page.items) expect(r).toEqual(runs.find((x) => x.info.runId === r.info.runId));
      }
      expect(mismatches).toEqual([]);
      // The generator must reach matches, not only empty answers.
      expect(nonEmpty).toBeGreaterThan(CASES / 3);
    }, 120_000);

    it("answers in JavaScript what SQL cannot keep (NUL in a value, order by a dataset field), the same as the reference", async () => {
      const cases: SearchCase[] = [
        { experimentIds: seeded.experimentIds, filterString: "params.p0 != 'a\u0000c'", orderBy: ["metrics.m0 DESC"], runViewType: "ALL", maxResults: 1000, pageToken: null },
        { experimentIds: seeded.experimentIds, filterString: "params.p0 LIKE 'a%'", orderBy: ["datasets.name ASC", "params.p1"], runViewType: "ACTIVE_ONLY", maxResults: 5, pageToken: null },
      ];
      for (const c of cases) {
        const query = { experimentIds: c.experimentIds.map(Number), lifecycleStages: ["active"], filter: parseFilter(c.filterString), orderBy: c.orderBy.map((o) => parseOrderBy(o)), offset: 0, limit: c.maxResults };
        expect(runSearchSql(stores.driver.dialect, query)).toBeNull();
        const expected = referenceAnswer(runs, c);
        expect(expected.ids.length).toBeGreaterThan(0);
        const page = await stores.tracking.searchRuns({ ...c });
        expect({ ids: page.items.map((r) => r.info.runId), next: page.nextPageToken }).toEqual(expected);
      }
    });

    it("refuses bad filters, order_by and page tokens with the reference's INVALID_PARAMETER_VALUE, even over an empty experiment", async () => {
      const empty = await stores.tracking.createExperiment("search-empty");
      const bad: Array<[Partial<SearchCase>, () => unknown]> = [
        [{ filterString: "metrics.rmse <<< 5" }, () => parseFilter("metrics.rmse <<< 5")],
        [{ filterString: "metrics.rmse = 'x'" }, () => parseFilter("metrics.rmse = 'x'")],
        [{ filterString: "params.p0 < 'a'" }, () => parseFilter("params.p0 < 'a'")],
        [{ filterString: "params.p0 = 'a' OR params.p1 = 'b'" }, () => parseFilter("params.p0 = 'a' OR params.p1 = 'b'")],
        [{ filterString: "attributes.nope = 'x'" }, () => parseFilter("attributes.nope = 'x'")],
        [{ filterString: "params.p0 IN ('a')" }, () => parseFilter("params.p0 IN ('a')")],
        [{ orderBy: ["metrics.m0 SIDEWAYS"] }, () => parseOrderBy("metrics.m0 SIDEWAYS")],
        [{ pageToken: "not-a-token" }, () => parsePageToken("not-a-token")],
      ];
      for (const [options, reference] of bad) {
        let expected: unknown = null;
        try {
          reference();
        } catch (err) {
          expected = err;
        }
        expect(expected).toBeInstanceOf(MlflowError);
        for (const ids of [seeded.experimentIds, [empty]]) {
          const actual = await stores.tracking.searchRuns({ experimentIds: ids, ...options }).then(() => null, (err: unknown) => err);
          expect(actual).toBeInstanceOf(MlflowError);
          expect({ code: (actual as MlflowError).errorCode, message: (actual as MlflowError).message }).toEqual({ code: "INVALID_PARAMETER_VALUE", message: (expected as MlflowError).message });
        }
      }
    });
  });
}

defineSearchSuite("SQLite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sql-search-test-"));
  const stores = await openSqlStores(`sqlite:///${join(dir, "mlflow.db")}`, "mlflow-artifacts:");
  return { stores, withNul: true, cleanup: async () => { await stores.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe.skipIf(noPostgres !== null)("on PostgreSQL", () => {
  let pg: TempPostgres | undefined;
  afterAll(() => pg?.stop());
  defineSearchSuite("PostgreSQL", async () => {
    pg = await startTempPostgres();
    const stores = await openSqlStores(pg.createDatabase("search"), "mlflow-artifacts:");
    return { stores, withNul: false, cleanup: () => stores.close() };
  });
});
