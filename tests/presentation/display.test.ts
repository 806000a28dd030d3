import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame";
import {
  escapeHtml,
  fileTree,
  frameToHtml,
  histogramBins,
  loadPlotly,
  plotlyHtml,
  recordsToHtml,
  schemaRecords,
  scriptJson,
} from "../../src/display";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random } from "../../src/util/random";

describe("display helpers", () => {
  it("escapes cell text so a table cannot inject markup", () => {
    const html = recordsToHtml([{ name: "<script>alert(1)</script>", n: 3 }]);
    expect(html).not.toContain("<script>");
    expect(html).toContain(escapeHtml("<script>alert(1)</script>"));
    expect(html).toContain('<td style="text-align:right">3</td>');
  });

  it("shows at most maxRows rows of a frame and says how many are left", () => {
    const frame = new Frame({ a: Float64Array.from({ length: 30 }, (_, i) => i), b: Array.from({ length: 30 }, (_, i) => `r${i}`) });
    const html = frameToHtml(frame, { maxRows: 7 });
    expect(html.match(/<tr>/g)?.length).toBe(1 + 7); // header + rows
    expect(html).toContain("23 more rows (30 in all)");
  });

  it("bins every value exactly once, into the bin whose range holds it", () => {
    const rng = new Random(7);
    const values = Array.from({ length: 1000 }, () => rng.normal() * 100 + 500);
    const { centers, counts, width } = histogramBins(values, 13);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    const lo = Math.min(...values);
    const brute = new Array<number>(13).fill(0);
    for (const v of values) {
      const k = centers.findIndex((c) => v >= c - width / 2 - 1e-9 && v < c + width / 2 - 1e-9);
      brute[k === -1 ? 12 : k]++;
    }
    expect(counts).toEqual(brute);
    expect(centers[0]).toBeCloseTo(lo + width / 2, 9);
  });

  it("counts missing and distinct values of each column", () => {
    const frame = new Frame({ x: Float64Array.from([1, NaN, 1, 2]), s: ["a", null, null, "b"] });
    expect(schemaRecords(frame)).toEqual([
      { column: "x", type: "number", missing: 1, distinct: 2, example: 1 },
      { column: "s", type: "text", missing: 2, distinct: 2, example: "a" },
    ]);
  });

  it("emits a chart whose data survive a </script> inside a label, drawn with the page's Plotly", () => {
    const html = plotlyHtml({ data: [{ type: "bar", x: ["</script><b>"], y: [1] }] });
    const script = html.slice(html.indexOf("<script"), html.lastIndexOf("</script>"));
    expect(script).not.toMatch(/<\/script/i);
    const call = /newPlot\(el, (.*?), \{/.exec(script);
    expect(JSON.parse(call?.[1] ?? "null")).toEqual([{ type: "bar", x: ["</script><b>"], y: [1] }]);
    expect(scriptJson("\u2028")).toBe('"\\u2028"');
  });

  it("inlines plotly.js once, as one script element that cannot close early", () => {
    const html = loadPlotly();
    expect(html.match(/<script/g)?.length).toBe(1);
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    expect(html).toContain("window.Plotly");
  });

  it("lists a directory tree with sizes", () => {
    const dir = mkdtempSync(join(tmpdir(), "tree-"));
    mkdirSync(join(dir, "run", "metrics"), { recursive: true });
    writeFileSync(join(dir, "run", "metrics", "rmse"), "12345");
    writeFileSync(join(dir, "meta.yaml"), "a: 1\n");
    expect(fileTree(dir).split("\n").slice(1)).toEqual(["  run/", "    metrics/", "      rmse  (5 B)", "  meta.yaml  (5 B)"]);
  });
});

describe("the TPE picture's densities", () => {
  it("integrate to one over a grid that covers the samples", async () => {
    const { gaussianDensity } = await import("../../src/display");
    const samples = [0.1, 0.2, 0.25, 0.7];
    const grid = Array.from({ length: 2001 }, (_, k) => -2 + (5 * k) / 2000);
    const d = gaussianDensity(samples, grid, 1);
    let area = 0;
    for (let k = 1; k < grid.length; k++) area += ((d[k] as number) + (d[k - 1] as number)) / 2 * ((grid[k] as number) - (grid[k - 1] as number));
    expect(area).toBeCloseTo(1, 6);
  });
});

describe("runsRecords", () => {
  it("shows each run's latest value of a metric (highest step) and its params", async () => {
    const { runsRecords } = await import("../../src/display");
    const run = {
      info: { runId: "0123456789abcdef", runName: "r1", experimentId: "1", userId: "u", status: "FINISHED" as const, startTime: 1000, endTime: 3500, artifactUri: "", lifecycleStage: "active" as const },
      data: {
        metrics: [
          { key: "rmse", value: 9, timestamp: 5, step: 2 },
          { key: "rmse", value: 7, timestamp: 9, step: 0 },
        ],
        params: [{ key: "alpha", value: "0.5" }],
        tags: [],
      },
    };
    expect(runsRecords([run], { params: ["alpha", "missing"] })).toEqual([
      { run: "r1", id: "01234567", status: "FINISHED", seconds: 2.5, alpha: "0.5", missing: null, rmse: 9 },
    ]);
  });
});
