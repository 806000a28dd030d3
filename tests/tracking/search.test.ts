import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowClient, MlflowError } from "../../src/tracking";
import type { Run } from "../../src/tracking";
import { Random } from "../../src/util/random";
import { tempDir } from "./helpers";

interface Truth {
  runId: string;
  name: string;
  startTime: number;
  rmse: number | null;
  mape: number;
  model: string;
  lr: string | null;
  team: string | null;
  status: string;
}

describe("searchRuns: MLflow's filter grammar, order_by and paging against brute force", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const client = new MlflowClient(join(tmp.dir, "mlruns"));
  const expId = await client.createExperiment("search");
  const otherId = await client.createExperiment("other");
  const rng = new Random(3);
  const models = ["Ridge", "RandomForest", "KNN", "ridge_v2"];
  const truth: Truth[] = [];
  for (let i = 0; i < 40; i++) {
    const startTime = 1_700_000_000_000 + rng.int(20) * 1000;
    const run = await client.createRun(i % 5 === 0 ? otherId : expId, { startTime, runName: `run-${i}` });
    const t: Truth = {
      runId: run.info.runId,
      name: `run-${i}`,
      startTime,
      rmse: i % 7 === 3 ? null : Math.round(rng.uniform(0, 10) * 100) / 100,
      mape: i % 4,
      model: models[rng.int(models.length)] as string,
      lr: i % 3 === 0 ? null : String(rng.int(3) / 100),
      team: i % 2 === 0 ? "ml" : null,
      status: i % 6 === 0 ? "FAILED" : "FINISHED",
    };
    if (t.rmse !== null) {
      // An earlier step with another value: search must use the latest value.
      await client.logMetric(run.info.runId, "rmse", 999, { step: 0 });
      await client.logMetric(run.info.runId, "rmse", t.rmse, { step: 1 });
    }
    await client.logMetric(run.info.runId, "mape", t.mape);
    await client.logParam(run.info.runId, "model", t.model);
    if (t.lr !== null) await client.logParam(run.info.runId, "lr", t.lr);
    if (t.team !== null) await client.setTag(run.info.runId, "team", t.team);
    await client.setTerminated(run.info.runId, t.status as "FAILED" | "FINISHED");
    truth.push(t);
  }
  const inExp = (ids: string[]): Truth[] => truth.filter((_, i) => ids.includes(i % 5 === 0 ? otherId : expId));
  const search = async (filterString: string, ids = [expId, otherId], orderBy?: string[]): Promise<Run[]> =>
    client.searchAllRuns(ids, { filterString, orderBy });
  const idsOf = (runs: readonly { runId: string }[]): string[] => runs.map((r) => r.runId).sort();
  const found = (runs: Run[]): string[] => runs.map((r) => r.info.runId).sort();

  const cases: Array<[string, (t: Truth) => boolean]> = [
    ["metrics.rmse < 5", (t) => t.rmse !== null && t.rmse < 5],
    ["metrics.rmse >= 5.5 and metrics.mape = 2", (t) => t.rmse !== null && t.rmse >= 5.5 && t.mape === 2],
    ["metric.mape != 1", (t) => t.mape !== 1],
    ["metrics.rmse <= 3.3 AND params.model = 'Ridge'", (t) => t.rmse !== null && t.rmse <= 3.3 && t.model === "Ridge"],
    ["params.model LIKE 'R%'", (t) => /^R/.test(t.model)],
    ["params.model ILIKE 'ridge%'", (t) => /^ridge/i.test(t.model)],
    ["params.model LIKE '%_v_'", (t) => /^.*.v.$/.test(t.model)],
    ["params.lr = \"0.01\"", (t) => t.lr === "0.01"],
    ["params.lr != '0.01'", (t) => t.lr !== null && t.lr !== "0.01"],
    ["tags.team = 'ml'", (t) => t.team === "ml"],
    ["tags.`mlflow.runName` = 'run-7'", (t) => t.name === "run-7"],
    ["attributes.status = 'FAILED'", (t) => t.status === "FAILED"],
    ["attribute.run_name LIKE 'run-1%'", (t) => t.name.startsWith("run-1")],
    ["attributes.start_time > 1700000010000", (t) => t.startTime > 1_700_000_010_000],
    ["created <= 1700000005000", (t) => t.startTime <= 1_700_000_005_000],
    [`attributes.run_id IN ('${truth[1]?.runId}', '${truth[2]?.runId}')`, (t) => t.runId === truth[1]?.runId || t.runId === truth[2]?.runId],
    [`attributes.run_id NOT IN ('${truth[1]?.runId}')`, (t) => t.runId !== truth[1]?.runId],
    ["", () => true],
  ];

  it.each(cases)("filter %s", async (filter, predicate) => {
    const expected = idsOf(truth.filter(predicate));
    expect(found(await search(filter))).toEqual(expected);
  });

  it("restricts to the given experiments", async () => {
    expect(found(await search("", [otherId]))).toEqual(idsOf(inExp([otherId])));
  });

  it("orders by start time descending then run id by default, and by order_by clauses with missing values last", async () => {
    const byDefault = [...truth].sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? -1 : 1));
    expect((await search("")).map((r) => r.info.runId)).toEqual(byDefault.map((t) => t.runId));
    for (const dir of ["ASC", "DESC"] as const) {
      const got = (await search("", undefined, [`metrics.rmse ${dir}`, "params.model"])).map((r) => r.info.runId);
      const sign = dir === "ASC" ? 1 : -1;
      const expected = [...byDefault].sort((a, b) => {
        if (a.rmse === null || b.rmse === null) return a.rmse === b.rmse ? (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) : a.rmse === null ? 1 : -1;
        return sign * (a.rmse - b.rmse) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0);
      });
      expect(got).toEqual(expected.map((t) => t.runId));
    }
  });

  it("pages with max_results and page tokens, the pages joining into the full result", async () => {
    const all = (await search("metrics.mape >= 0")).map((r) => r.info.runId);
    const paged: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await client.searchRuns([expId, otherId], { filterString: "metrics.mape >= 0", maxResults: 7, pageToken: token });
      expect(page.items.length).toBeLessThanOrEqual(7);
      paged.push(...page.items.map((r) => r.info.runId));
      token = page.nextPageToken;
      pages++;
    } while (token !== null);
    expect(paged).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 7));
    expect(Buffer.from(String((await client.searchRuns([expId], { maxResults: 7 })).nextPageToken), "base64").toString()).toBe('{"offset": 7}');
  });

  it.each([
    ["metrics.rmse < 5 OR metrics.rmse > 6", /only support AND/],
    ["params.model = Ridge", /quoted string/],
    ["metrics.rmse = 'x'", /numeric value/],
    ["params.model > 'a'", /Invalid comparator/],
    ["foo.bar = 'x'", /Invalid entity type 'foo'/],
    ["attributes.nope = 'x'", /Invalid attribute key 'nope'/],
    ["params.model IN ('a')", /Invalid comparator|list/],
    ["metrics.rmse <", /missing value/],
  ])("rejects %s with INVALID_PARAMETER_VALUE", async (filter, message) => {
    const err = await search(filter).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as MlflowError).errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect((err as MlflowError).message).toMatch(message);
  });

  it("searches experiments by name and tag with paging", async () => {
    await client.setExperimentTag(expId, "kind", "search");
    expect((await client.searchExperiments({ filterString: "name LIKE 'sea%'" })).items.map((e) => e.name)).toEqual(["search"]);
    expect((await client.searchExperiments({ filterString: "tags.kind = 'search'" })).items.map((e) => e.experimentId)).toEqual([expId]);
    const first = await client.searchExperiments({ maxResults: 2, orderBy: ["name ASC"] });
    expect(first.items.map((e) => e.name)).toEqual(["Default", "other"]);
    const second = await client.searchExperiments({ maxResults: 2, orderBy: ["name ASC"], pageToken: first.nextPageToken });
    expect(second.items.map((e) => e.name)).toEqual(["search"]);
    expect(second.nextPageToken).toBeNull();
  });
});
