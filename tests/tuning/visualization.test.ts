/**
 * Visualisations: the data of each plotly figure against what Python Optuna 3.1's plotting
 * helpers compute for the same stored study, plus structural checks and PED-ANOVA importances
 * on functions whose important parameter is known by construction.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createStudy,
  getParamImportances,
  plotContour,
  plotEdf,
  plotIntermediateValues,
  plotOptimizationHistory,
  plotParallelCoordinate,
  plotParamImportances,
  plotSlice,
  RandomSampler,
  Study,
  TrialPruned,
} from "../../src/tuning";
import { pythonOptunaAvailable, runPython } from "./pythonOracle";

const dir = mkdtempSync(join(tmpdir(), "tuning-viz-"));
const url = `sqlite:///${join(dir, "viz.db")}`;
let study: Study;
afterAll(async () => {
  await study?.storage.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  study = await createStudy({ studyName: "viz", storage: url, sampler: new RandomSampler({ seed: 11 }) });
  await study.optimize(
    (t) => {
      const x = t.suggestFloat("x", -2, 2);
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
      const kind = t.suggestCategorical("kind", ["gbtree", "dart", "linear"]);
      for (let s = 0; s < 5; s++) t.report(x * x + 1 / (s + 1), s);
      if (t.number % 6 === 5) throw new TrialPruned();
      return x * x + Math.log10(lr) ** 2 / 10 + (kind === "dart" ? 0.5 : 0);
    },
    { nTrials: 24 },
  );
});

type Info = {
  history: { x: number[]; y: number[]; best: number[] };
  intermediate: [number, [number, number][]][];
  edf: { x: number[]; y: number[] };
  parallel: { label: string; values: number[]; range: number[]; tickvals: number[]; ticktext: string[] }[];
  contour: { x: (number | string)[]; y: (number | string)[]; z: [number, number, number][] }[][];
  slice: { param: string; x: (number | string)[]; y: number[] }[];
};

describe.skipIf(!pythonOptunaAvailable())("figures carry the data Python Optuna computes", () => {
  let info: Info;
  beforeAll(() => {
    info = JSON.parse(runPython([join(__dirname, "python", "viz_info.py"), url, "viz"])) as Info;
  });

  it("optimization history", () => {
    const fig = plotOptimizationHistory(study);
    expect(fig.layout["title"]).toEqual({ text: "Optimization History Plot" });
    expect(fig.data[0]?.["x"]).toEqual(info.history.x);
    expect(fig.data[0]?.["y"]).toEqual(info.history.y);
    expect(fig.data[1]?.["y"]).toEqual(info.history.best);
  });

  it("intermediate values", () => {
    const fig = plotIntermediateValues(study);
    expect(fig.data.map((t) => t["name"])).toEqual(info.intermediate.map(([n]) => `Trial${n}`));
    fig.data.forEach((t, i) => {
      const expected = (info.intermediate[i] as [number, [number, number][]])[1];
      expect(t["x"]).toEqual(expected.map(([s]) => s));
      expect(t["y"]).toEqual(expected.map(([, v]) => v));
    });
  });

  it("EDF", () => {
    const fig = plotEdf(study);
    (fig.data[0]?.["x"] as number[]).forEach((v, i) => expect(v).toBeCloseTo(info.edf.x[i] as number, 12));
    expect(fig.data[0]?.["y"]).toEqual(info.edf.y);
  });

  it("parallel coordinate", () => {
    const dims = plotParallelCoordinate(study).data[0]?.["dimensions"] as Info["parallel"];
    expect(dims.map((d) => d.label)).toEqual(info.parallel.map((d) => d.label));
    dims.forEach((d, i) => {
      const e = info.parallel[i] as Info["parallel"][number];
      d.values.forEach((v, j) => expect(v).toBeCloseTo(e.values[j] as number, 12));
      expect(d.range[0]).toBeCloseTo(e.range[0] as number, 12);
      expect(d.range[1]).toBeCloseTo(e.range[1] as number, 12);
      expect(d.ticktext ?? []).toEqual(e.ticktext);
      (d.tickvals ?? []).forEach((v, j) => expect(v).toBeCloseTo(e.tickvals[j] as number, 12));
    });
  });

  it("contour: grid indices and observed values of every pair", () => {
    const fig = plotContour(study);
    const contours = fig.data.filter((t) => t["type"] === "contour");
    const expected = info.contour.flat().filter((s) => s.z.length > 0);
    expect(expected.length).toBe(6);
    expect(contours.length).toBe(expected.length);
    contours.forEach((c, k) => {
      const e = expected[k] as Info["contour"][number][number];
      expect((c["x"] as unknown[]).length).toBe(e.x.length);
      (c["x"] as (number | string)[]).forEach((v, i) => (typeof v === "number" ? expect(v).toBeCloseTo(e.x[i] as number, 12) : expect(v).toBe(e.x[i])));
      (c["y"] as (number | string)[]).forEach((v, i) => (typeof v === "number" ? expect(v).toBeCloseTo(e.y[i] as number, 12) : expect(v).toBe(e.y[i])));
      const z = c["z"] as number[][];
      const observed: [number, number, number][] = [];
      z.forEach((row, yi) => row.forEach((v, xi) => Number.isNaN(v) || observed.push([xi, yi, v])));
      observed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(observed).toEqual(e.z);
    });
  });

  it("slice", () => {
    const fig = plotSlice(study);
    expect(fig.data.length).toBe(info.slice.length);
    fig.data.forEach((t, i) => {
      expect(t["x"]).toEqual((info.slice[i] as Info["slice"][number]).x);
      expect(t["y"]).toEqual((info.slice[i] as Info["slice"][number]).y);
    });
    expect((fig.layout["xaxis2"] as Record<string, unknown>)["type"]).toBe("log");
  });
});

describe("parameter importances (PED-ANOVA)", () => {
  it("ranks a dominant parameter first and an unused one last, summing to one", async () => {
    const s = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await s.optimize((t) => 10 * t.suggestFloat("big", -1, 1) ** 2 + 0.5 * t.suggestInt("small", 0, 10) / 10 + 0 * t.suggestFloat("unused", 0, 1), { nTrials: 200 });
    const imp = getParamImportances(s);
    expect(Object.keys(imp)).toEqual(["big", "small", "unused"]);
    expect(Object.values(imp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp["big"]).toBeGreaterThan(0.6);
    const fig = plotParamImportances(s);
    expect(fig.data[0]?.["y"]).toEqual(["unused", "small", "big"]);
    expect(fig.data[0]?.["orientation"]).toBe("h");
  });

  it("handles categorical and log parameters", async () => {
    const s = await createStudy({ sampler: new RandomSampler({ seed: 4 }), direction: "maximize" });
    await s.optimize((t) => (t.suggestCategorical("c", ["good", "bad", "worse"]) === "good" ? 1 : 0) + 0.001 * Math.log(t.suggestFloat("lr", 1e-5, 1, { log: true })), { nTrials: 150 });
    const imp = getParamImportances(s);
    expect(Object.keys(imp)[0]).toBe("c");
  });

  it("figures of an empty study have no traces", async () => {
    const s = await createStudy();
    for (const fig of [plotOptimizationHistory(s), plotIntermediateValues(s), plotParallelCoordinate(s), plotSlice(s), plotContour(s), plotParamImportances(s), plotEdf(s)]) {
      expect(fig.data).toEqual([]);
      expect(typeof (fig.layout["title"] as { text?: unknown }).text).toBe("string");
    }
  });
});
