/**
 * The web UI's logic without a browser: rows nested under parents and grouped by a value,
 * Optuna trial states, CSV out and in (RFC 4180), filter-key completion, MLflow's hash
 * routes, rounding, and the contour's interpolation (exact at the runs' own points). The
 * parallel coordinates' logic is in parallelLogic.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { RunJson } from "../../src/server/ui/client/lib/api";
import { parseCsv } from "../../src/server/ui/client/lib/csv";
import { applyCompletion, completions, tokenAt } from "../../src/server/ui/client/lib/filterCompletion";
import { roundNumber } from "../../src/server/ui/client/lib/format";
import { contourTraces } from "../../src/server/ui/client/lib/plots";
import { fromMlflowHash, href, parseRoute } from "../../src/server/ui/client/lib/routes";
import { arrange, keyMetric, lowerIsBetter, orderByOf, toCsv, toRow, type RunRow } from "../../src/server/ui/client/lib/runRows";

function run(id: string, opts: { parent?: string; tags?: Record<string, string>; params?: Record<string, string>; metrics?: Record<string, number>; status?: string } = {}): RunJson {
  const tags = { ...(opts.tags ?? {}), ...(opts.parent === undefined ? {} : { "mlflow.parentRunId": opts.parent }) };
  return {
    info: { run_id: id, run_name: id, experiment_id: "1", status: opts.status ?? "FINISHED", start_time: 1000, end_time: 3500 },
    data: {
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      params: Object.entries(opts.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    },
  };
}
const trialTags = (state: string): Record<string, string> => ({ number: "3", direction: "MINIMIZE", datetime_start: "2026-11-26 10:31:39.123000", state });
const ids = (rows: ReturnType<typeof arrange>): string[] => rows.map((r) => (r.kind === "run" ? `${"  ".repeat(r.depth)}${r.id}` : `[${r.label} (${r.count})]`));

describe("runs table rows", () => {
  const rows: RunRow[] = [run("c1", { parent: "p", params: { d: "5" } }), run("p"), run("c2", { parent: "p", params: { d: "6" } }), run("orphan", { parent: "gone", params: { d: "5" } })].map(toRow);

  it("puts loaded children under their parent, shown when it is expanded; a child whose parent is not loaded stands alone", () => {
    const collapsed = arrange(rows, { groupBy: null, expanded: new Set(), keyMetric: null, lowerIsBetter: true });
    expect(ids(collapsed)).toEqual(["p", "orphan"]);
    expect(collapsed[0]).toMatchObject({ kind: "run", childCount: 2, expanded: false });
    expect(ids(arrange(rows, { groupBy: null, expanded: new Set(["p"]), keyMetric: null, lowerIsBetter: true }))).toEqual(["p", "  c1", "  c2", "orphan"]);
  });

  it("shows runs whose parent tags form a cycle instead of hiding them", () => {
    const cyclic = [run("a", { parent: "b" }), run("b", { parent: "a" })].map(toRow);
    expect(ids(arrange(cyclic, { groupBy: null, expanded: new Set(), keyMetric: null, lowerIsBetter: true }))).toEqual(["a", "b"]);
  });

  it("groups every run flat by a param, with counts and the group's best key metric", () => {
    const withMetric = [run("x", { params: { d: "5" }, metrics: { v: 3 } }), run("y", { params: { d: "6" }, metrics: { v: 1 } }), run("z", { params: { d: "5" }, metrics: { v: 2 } }), run("w")].map(toRow);
    const grouped = arrange(withMetric, { groupBy: { type: "param", key: "d" }, expanded: new Set(["group:5"]), keyMetric: "v", lowerIsBetter: true });
    expect(ids(grouped)).toEqual(["[d = 5 (2)]", "  x", "  z", "[d = 6 (1)]", "[d = (none) (1)]"]);
    expect(grouped[0]).toMatchObject({ best: 2 });
  });

  it("shows an Optuna trial's PRUNED or FAIL state instead of the run's FINISHED, and only for trials", () => {
    expect(toRow(run("t", { tags: trialTags("PRUNED") })).status).toBe("PRUNED");
    expect(toRow(run("t", { tags: trialTags("FAIL") })).status).toBe("FAIL");
    expect(toRow(run("t", { tags: trialTags("COMPLETE") })).status).toBe("FINISHED");
    expect(toRow(run("t", { tags: { state: "PRUNED" } })).status).toBe("FINISHED");
  });

  it("takes the study's objective as the key metric, a pinned one first, and the study's direction", () => {
    const trials = [run("t", { tags: trialTags("COMPLETE"), metrics: { value: 1, rmse: 2 } })].map(toRow);
    expect(keyMetric(trials, null)).toBe("value");
    expect(keyMetric(trials, "rmse")).toBe("rmse");
    expect(keyMetric(rows, null)).toBeNull();
    expect(lowerIsBetter(trials, "value")).toBe(true);
    expect(lowerIsBetter([toRow(run("t", { tags: { ...trialTags("COMPLETE"), direction: "MAXIMIZE" } }))], "value")).toBe(false);
    expect(lowerIsBetter(rows, "test_r2")).toBe(false);
  });

  it("sorts by MLflow's order_by clauses, back-quoting keys", () => {
    expect(orderByOf({ type: "metric", key: "test rmse" }, false)).toBe("metrics.`test rmse` DESC");
    expect(orderByOf({ type: "attribute", key: "Created" }, true)).toBe("attributes.start_time ASC");
    expect(orderByOf({ type: "attribute", key: "Duration" }, true)).toBeNull();
  });

  it("writes CSV as RFC 4180 (quotes, doubled quotes, CRLF) with full-precision numbers, and reads it back", () => {
    const tricky = toRow(run('a "b", c', { params: { note: "x\ny" }, metrics: { v: 0.1 + 0.2 } }));
    const csv = toCsv([tricky], [{ type: "attribute", key: "Run Name" }, { type: "param", key: "note" }, { type: "metric", key: "v" }]);
    expect(csv).toBe('Run ID,Run Name,params.note,metrics.v\r\n"a ""b"", c","a ""b"", c","x\ny",0.30000000000000004\r\n');
    expect(parseCsv(csv)).toEqual([["Run ID", "Run Name", "params.note", "metrics.v"], ['a "b", c', 'a "b", c', "x\ny", "0.30000000000000004"]]);
  });
});

describe("filter key completion", () => {
  const keys = { metrics: ["rmse", "test rmse"], params: ["max_depth"], tags: ["state"] };

  it("completes the identifier at the cursor, not values or operators", () => {
    const input = "metrics.rmse < 5 and par";
    const token = tokenAt(input, input.length);
    expect(token?.text).toBe("par");
    expect(completions(token as NonNullable<typeof token>, keys)).toEqual(["params.max_depth"]);
    expect(applyCompletion(input, token as NonNullable<typeof token>, "params.max_depth")).toEqual({ value: "metrics.rmse < 5 and params.max_depth ", cursor: 38 });
    expect(tokenAt("metrics.rmse < ", 15)).toBeNull();
    expect(tokenAt("params.m = 'ab", 14)).toBeNull();
  });

  it("matches a bare key name and back-quotes keys that need it", () => {
    expect(completions({ start: 0, end: 4, text: "test" }, keys)).toEqual(["metrics.`test rmse`"]);
    expect(completions({ start: 0, end: 3, text: "sta" }, keys)).toEqual(["tags.state", "attributes.status", "attributes.start_time"]);
  });
});

describe("routes", () => {
  it("maps MLflow's hash routes onto the server's page URLs", () => {
    expect(fromMlflowHash("#/experiments/12")).toBe("/experiments/12");
    expect(fromMlflowHash("#/experiments/12/runs/abc")).toBe("/runs/abc");
    expect(fromMlflowHash('#/compare-runs?runs=["a","b"]&experiments=["1"]')).toBe("/compare?runs=a,b");
    expect(fromMlflowHash("#/models/house%20prices/versions/3")).toBe("/models/house%20prices/versions/3");
    expect(fromMlflowHash("#section")).toBeNull();
  });

  it("round-trips every page's URL", () => {
    for (const url of ["/experiments/5", "/experiments?ids=1,2", "/experiments/5?view=chart", "/runs/r1", "/compare?runs=a,b", "/compare?experiment=study&limit=1000", "/models", "/models/m", "/models/m/versions/2", "/experiments?name=olx"]) {
      const [path, query] = url.split("?") as [string, string | undefined];
      expect(href(parseRoute(path, query === undefined ? "" : `?${query}`))).toBe(url);
    }
  });
});

describe("numbers and charts", () => {
  it("rounds to 4 significant digits, grouping thousands, with exponents only at the extremes", () => {
    expect([61324.553832846854, 0.123456, 1.5, 0, -0.00001234, 12345678901, 999.95].map(roundNumber)).toEqual(["61,325", "0.1235", "1.5", "0", "-1.234e-5", "1.235e+10", "1,000"]);
  });

  it("interpolates the contour exactly through the runs' own points (grid corners here)", () => {
    const rows = [[0, 0, 1], [1, 0, 2], [0, 1, 3], [1, 1, 4]].map(([x, y, z]) => toRow(run(`r${x}${y}`, { params: { x: String(x), y: String(y) }, metrics: { z: z as number } })));
    const [contour] = contourTraces(rows, { type: "param", key: "x" }, { type: "param", key: "y" }, { type: "metric", key: "z" }, 5) as Array<{ z: number[][] }>;
    const z = (contour as { z: number[][] }).z;
    expect([z[0]?.[0], z[0]?.[4], z[4]?.[0], z[4]?.[4]]).toEqual([1, 2, 3, 4]);
    expect(z[2]?.[2]).toBeCloseTo(2.5, 12); // the centre is equidistant from all four
  });
});
