/**
 * The parallel-coordinates chart's logic without a browser, against closed forms: nice ticks
 * (1-2-5 steps, decades), their labels, scales (linear, log, categories, one value, missing),
 * brushing (ranges merged, AND across axes, clicks), colours, layout and the line under the
 * pointer, and the chart's data built from runs as Optuna's plot draws a study.
 */
import { describe, expect, it } from "vitest";
import type { RunJson } from "../../src/server/ui/client/lib/api";
import { axisTicks, chooseScale, looksLogarithmic, position, sortCategories, valueAt, type AxisScale } from "../../src/server/ui/client/lib/axisScale";
import { addRange, brushAxis, clickAxis, NO_BRUSHES, selection, type Brushes } from "../../src/server/ui/client/lib/brushing";
import { BLUES, colorAt, colorBarStops } from "../../src/server/ui/client/lib/colorScale";
import { MAX_PARAMS, parallelData } from "../../src/server/ui/client/lib/parallelData";
import { nearestRun } from "../../src/server/ui/client/lib/parallelHit";
import { fitText, LABEL_ROW, parallelLayout, tOf, yOf } from "../../src/server/ui/client/lib/parallelLayout";
import { lineAlpha, linePaint } from "../../src/server/ui/client/lib/parallelPaint";
import { describeBrushes, summary } from "../../src/server/ui/client/lib/parallelText";
import { toRow, type RunRow } from "../../src/server/ui/client/lib/runRows";
import { formatLinearTicks, formatLogTick, linearTicks, logTicks, niceStep } from "../../src/server/ui/client/lib/ticks";

/** A run as the REST API answers it, flattened to a row. */
function row(id: string, params: Record<string, string>, metrics: Record<string, number> = {}, tags: Record<string, string> = {}): RunRow {
  const run: RunJson = {
    info: { run_id: id, run_name: id, experiment_id: "1", status: "FINISHED", start_time: 0, end_time: 1 },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
  };
  return toRow(run);
}

const sevenPx = (t: string): number => t.length * 7;

describe("ticks", () => {
  it("steps by 1, 2 or 5 times a power of ten, the nearest to span/count on a log scale", () => {
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(39_549, 5)).toBe(10_000); // 7,910: past sqrt(50) x 1,000
    expect(niceStep(5, 7)).toBe(1); // 0.714: past sqrt(50) x 0.1
    expect(niceStep(0.2935, 6)).toBeCloseTo(0.05, 15); // 0.0489: between sqrt(10) and sqrt(50) x 0.01
    expect(niceStep(3, 2)).toBe(2); // 1.5: past sqrt(2)
  });

  it("puts linear ticks on the step's multiples inside the range, exact decimals, at least two", () => {
    expect(linearTicks(0, 1, 5).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.0035, 0.297, 6).values).toEqual([0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(linearTicks(60_321, 99_870, 5)).toEqual({ values: [70_000, 80_000, 90_000], step: 10_000 });
    expect(linearTicks(5, 10, 7).values).toEqual([5, 6, 7, 8, 9, 10]);
    expect(linearTicks(1.01, 1.02, 1).values).toEqual([1.01, 1.02]);
    expect(linearTicks(0.3, 0.7, 1).values).toEqual([0.4, 0.6]); // one interval gives only 0.5: halved
    expect(linearTicks(3, 3, 5).values).toEqual([3]);
  });

  it("puts log ticks on decades (every k-th when crowded), 1-2-5 within a decade", () => {
    expect(logTicks(0.001, 10, 6)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(1e-4, 10, 3)).toEqual([1e-4, 0.01, 1]); // six decades, three ticks: every second
    expect(logTicks(2, 60, 5)).toEqual([2, 5, 10, 20, 50]);
  });

  it("labels ticks with the decimals the step needs, thousands as k, millions as M", () => {
    expect(formatLinearTicks([70_000, 80_000, 90_000], 10_000)).toEqual(["70k", "80k", "90k"]);
    expect(formatLinearTicks([61_000, 61_500, 62_000], 500)).toEqual(["61.0k", "61.5k", "62.0k"]);
    expect(formatLinearTicks([1.5e6, 2e6], 5e5)).toEqual(["1.5M", "2.0M"]);
    expect(formatLinearTicks([0.05, 0.1, 0.15], 0.05)).toEqual(["0.05", "0.10", "0.15"]);
    expect(formatLinearTicks([5, 6, 7], 1)).toEqual(["5", "6", "7"]);
    expect(formatLinearTicks([-1e-17, 0.5], 0.5)).toEqual(["0.0", "0.5"]); // no "-0.0"
    expect(formatLinearTicks([1234], 0)).toEqual(["1234"]);
    expect([0.001, 1e-4, 2e-5, 20, 1e5].map(formatLogTick)).toEqual(["0.001", "1e-4", "2e-5", "20", "1e+5"]);
  });
});

describe("axis scales", () => {
  it("places numbers linearly from the lowest (0) to the highest (1); missing is NaN", () => {
    const s = chooseScale([3, null, 1, 2]) as AxisScale;
    expect(s).toEqual({ kind: "linear", min: 1, max: 3 });
    expect([1, 2, 3, 2.5].map((v) => position(s, v))).toEqual([0, 0.5, 1, 0.75]);
    expect(position(s, null)).toBeNaN();
    expect(valueAt(s, 0.25)).toBe(1.5);
    expect(chooseScale([null, null])).toBeNull();
  });

  it("turns any text into categories in reading order, numbers inside compared as numbers", () => {
    expect(sortCategories(["depth 10", "depth 2", "depth 2"])).toEqual(["depth 2", "depth 10"]);
    const s = chooseScale(["gbtree", 2, "dart", null]) as AxisScale;
    expect(s).toEqual({ kind: "category", categories: ["2", "dart", "gbtree"] });
    expect(["2", "dart", "gbtree", "other"].map((v) => position(s, v))).toEqual([0, 0.5, 1, NaN]);
    expect(valueAt(s, 0.8)).toBe("gbtree");
  });

  it("puts an axis of one value in the middle with one tick", () => {
    const s = chooseScale([4, 4]) as AxisScale;
    expect(position(s, 4)).toBe(0.5);
    expect(axisTicks(s, 5)).toEqual([{ t: 0.5, label: "4" }]);
    expect(position(chooseScale(["only"]) as AxisScale, "only")).toBe(0.5);
  });

  it("uses a log axis when Optuna's distribution says log=True, or when values span decades and crowd the bottom", () => {
    const logged = chooseScale([0.001, 0.01, 0.1, 1], true) as AxisScale;
    expect(logged.kind).toBe("log");
    expect(position(logged, 0.01)).toBeCloseTo(1 / 3, 12);
    expect(valueAt(logged, 2 / 3)).toBeCloseTo(0.1, 12);
    expect(axisTicks(logged, 6).map((t) => t.label)).toEqual(["0.001", "0.01", "0.1", "1"]);
    expect(chooseScale([0.001, 0.01, 0.1, 1], false)?.kind).toBe("linear");
    const logUniform = Array.from({ length: 100 }, (_, i) => 10 ** (-4 + (4 * i) / 99));
    const uniform = Array.from({ length: 100 }, (_, i) => 0.0005 + i / 99); // spans 2,000x but evenly
    expect(looksLogarithmic(logUniform)).toBe(true);
    expect(looksLogarithmic(uniform)).toBe(false);
    expect(looksLogarithmic([-1, 10, 1000])).toBe(false);
    expect(chooseScale(logUniform)?.kind).toBe("log");
    expect(chooseScale([-1, 10], true)?.kind).toBe("linear"); // a log axis needs positive values
  });

  it("labels every category while they fit, else every k-th with the last always shown", () => {
    const cats = (n: number): AxisScale => ({ kind: "category", categories: Array.from({ length: n }, (_, i) => `c${i}`) });
    expect(axisTicks(cats(3), 5).map((t) => t.label)).toEqual(["c0", "c1", "c2"]);
    expect(axisTicks(cats(10), 4).map((t) => t.label)).toEqual(["c0", "c3", "c6", "c9"]);
    expect(axisTicks(cats(11), 4).map((t) => t.label)).toEqual(["c0", "c3", "c6", "c10"]); // c9 would crowd c10
    expect(axisTicks(cats(11), 4).map((t) => t.t)).toEqual([0, 0.3, 0.6, 1]);
  });
});

describe("brushing", () => {
  it("merges overlapping ranges on an axis and keeps disjoint ones, in order", () => {
    expect(addRange([{ lo: 0.1, hi: 0.2 }], { lo: 0.5, hi: 0.15 })).toEqual([{ lo: 0.1, hi: 0.5 }]);
    expect(addRange([{ lo: 0.6, hi: 0.7 }], { lo: 0.1, hi: 0.2 })).toEqual([{ lo: 0.1, hi: 0.2 }, { lo: 0.6, hi: 0.7 }]);
    expect(brushAxis(NO_BRUSHES, 0, 1.2, 0.8).get(0)).toEqual([{ lo: 0.8, hi: 1 }]);
  });

  it("removes the range clicked, clears the axis on a click beside its ranges, ignores unbrushed axes", () => {
    const b = brushAxis(brushAxis(NO_BRUSHES, 1, 0.1, 0.2), 1, 0.6, 0.7);
    expect(clickAxis(b, 1, 0.65).get(1)).toEqual([{ lo: 0.1, hi: 0.2 }]);
    expect(clickAxis(b, 1, 0.4).has(1)).toBe(false);
    expect(clickAxis(clickAxis(b, 1, 0.15), 1, 0.65).size).toBe(0);
    expect(clickAxis(b, 0, 0.5)).toBe(b);
  });

  it("selects runs inside a range of every brushed axis (AND), any range of one axis (OR), never a missing value", () => {
    // Four runs on two axes: run r's places at [2r, 2r+1].
    const positions = [0.1, 0.9, 0.4, 0.5, 0.8, 0.2, NaN, 0.5];
    expect(selection(positions, 2, NO_BRUSHES)).toEqual({ mask: Uint8Array.from([1, 1, 1, 1]), count: 4 });
    const first: Brushes = new Map([[0, [{ lo: 0, hi: 0.5 }]]]);
    expect(selection(positions, 2, first)).toEqual({ mask: Uint8Array.from([1, 1, 0, 0]), count: 2 });
    const both: Brushes = new Map([[0, [{ lo: 0, hi: 0.5 }]], [1, [{ lo: 0.45, hi: 0.55 }]]]);
    expect(selection(positions, 2, both).count).toBe(1);
    const either: Brushes = new Map([[0, [{ lo: 0, hi: 0.2 }, { lo: 0.7, hi: 1 }]]]);
    expect(selection(positions, 2, either).mask).toEqual(Uint8Array.from([1, 0, 1, 0]));
    expect(selection(positions, 2, new Map([[1, [{ lo: 0.5, hi: 0.5 }]]])).count).toBe(2); // ends are inside
  });
});

describe("colours", () => {
  it("runs from the light stop (worst) to the dark one (best), interpolated in between", () => {
    expect(colorAt(0)).toBe(`rgb(${BLUES[0]?.join(",")})`);
    expect(colorAt(1)).toBe(`rgb(${BLUES[BLUES.length - 1]?.join(",")})`);
    expect(colorAt(0.5)).toBe("rgb(50,130,190)"); // halfway between stops 2 (66,146,198) and 3 (33,113,181), rounded half up
    expect(colorAt(-3)).toBe(colorAt(0));
  });

  it("puts the colour bar's dark end where the best values are on the objective's axis", () => {
    expect(colorBarStops(true)[0]).toEqual({ offset: 0, color: colorAt(1) }); // lower is better: the bottom is darkest
    expect(colorBarStops(false)[0]).toEqual({ offset: 0, color: colorAt(0) });
  });
});

describe("the chart's data from runs", () => {
  const a = row("a", { booster: "gbtree", eta: "0.1" }, { value: 3 });
  const b = row("b", { booster: "dart", eta: "0.2" }, { value: 2 });
  const c = row("c", { booster: "dart" });
  const d = row("d", { eta: "0.15" }, { value: 2.5 });

  it("draws params then the objective, text params as categories, and leaves out runs without the objective", () => {
    const data = parallelData([a, b, c], [], "value");
    expect(data.runs.map((r) => r.name)).toEqual(["a", "b"]);
    expect(data.axes.map((x) => [x.id, x.scale.kind])).toEqual([["params.booster", "category"], ["params.eta", "linear"], ["metrics.value", "linear"]]);
    expect([...data.positions]).toEqual([1, 0, 1, 0, 1, 0]);
    expect(data.colorAxis).toBe(2);
    expect(data.values[0]).toEqual(["gbtree", "dart"]);
  });

  it("counts runs without a param and places them at NaN (the missing mark)", () => {
    const data = parallelData([a, b, d], [], "value");
    expect(data.axes[0]).toMatchObject({ label: "booster", missing: 1 });
    expect(data.positions[2 * 3]).toBeNaN();
    expect(data.positions[2 * 3 + 1]).toBeCloseTo(0.5, 12);
  });

  it("takes a log axis from Optuna's distribution tag, at most 12 params when none are named, and handles no runs", () => {
    const tag = { eta_distribution: "FloatDistribution(high=0.3, log=True, low=0.001, step=None)" };
    const logged = parallelData([row("x", { eta: "0.001" }, { value: 1 }, tag), row("y", { eta: "0.1" }, { value: 2 }, tag)], [], "value");
    expect(logged.axes[0]?.scale.kind).toBe("log");
    const many = row("m", Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${String(i).padStart(2, "0")}`, String(i)])), { value: 1 });
    expect(parallelData([many], [], "value").axes).toHaveLength(MAX_PARAMS + 1);
    expect(parallelData([many], ["p03"], "value").axes.map((x) => x.label)).toEqual(["p03", "value"]);
    const none = parallelData([c], [], "value");
    expect([none.runs.length, none.axes.length, none.colorAxis]).toEqual([0, 0, null]);
  });

  it("paints the worst run first and the best last (on top), darkest", () => {
    const paint = linePaint(parallelData([a, b], [], "value", true));
    expect([...paint.order]).toEqual([0, 1]); // a (3) is worse than b (2) when lower is better
    expect(paint.colors).toEqual([colorAt(0), colorAt(1)]);
    expect([...linePaint(parallelData([a, b], [], "value", false)).order]).toEqual([1, 0]);
    expect(lineAlpha(200)).toBeCloseTo(0.45, 12); // 0.9 x sqrt(50/200)
  });

  it("says in words what is drawn and what is selected", () => {
    const data = parallelData([a, b], [], "value");
    const brushes: Brushes = new Map([[1, [{ lo: 0, hi: 0.5 }]], [0, [{ lo: 0.9, hi: 1 }]]]);
    expect(describeBrushes(data, brushes)).toBe("booster gbtree, eta 0.1–0.15");
    expect(summary(data, "Study", 1)).toBe("Study: 2 runs across 3 axes: booster, eta, value. Lines are coloured by value, darker is better (lower is better). 1 of 2 runs selected.");
  });
});

describe("layout and the line under the pointer", () => {
  const base = { width: 700, height: 300, labels: ["a", "b", "c"], leftTickWidth: 30, colorBar: null, missing: false, measure: sevenPx };

  it("spaces the axes evenly between the tick labels' margin and the last label", () => {
    const l = parallelLayout(base);
    expect(l.axisX).toEqual([48, 368.25, 688.5]); // left 8 + 30 + 10; right 700 - 8 - 3.5
    expect([l.top, l.bottom]).toEqual([8 + LABEL_ROW + 8, 300 - 16]);
    expect(yOf(l, 0.5)).toBe((l.top + l.bottom) / 2);
    expect(tOf(l, yOf(l, 0.3))).toBeCloseTo(0.3, 12);
    expect(tOf(l, 0)).toBe(1);
  });

  it("staggers labels that would collide, cuts those still too long, and makes room for missing values and the colour bar", () => {
    const long = parallelLayout({ ...base, width: 250, labels: ["learning_rate", "max_depth", "subsample"] });
    expect(long.top).toBe(8 + 2 * LABEL_ROW + 8);
    expect(long.labels.map((x) => x.y)).toEqual([long.top - 10, long.top - 10 - LABEL_ROW, long.top - 10]);
    expect(fitText("abcdefghij", 35, sevenPx)).toBe("abcd…");
    const missing = parallelLayout({ ...base, missing: true });
    expect(missing.missingY).toBe(300 - 16);
    expect(yOf(missing, NaN)).toBe(300 - 16);
    expect(missing.bottom).toBe(300 - 16 - 26);
    const bar = parallelLayout({ ...base, colorBar: { tickWidth: 20 } });
    // right of the last axis: a gap of 30, the bar (14), 6 + 20 + 6 of ticks, the upright title's line (16), the margin (8)
    expect(bar.colorBar).toEqual({ x: 700 - 8 - 16 - 46, width: 14, titleX: 700 - 8 - 8 });
    expect(bar.axisX[2]).toBe(700 - 8 - 16 - 46 - 30);
  });

  it("finds the line nearest the pointer between two axes, within reach, among selected runs", () => {
    const l = parallelLayout(base);
    const positions = [0, 0, 0, 1, 1, 1, 0, 0.5, 1]; // bottom, top, and a diagonal
    const order = [0, 1, 2];
    expect(nearestRun(l, positions, 3, 200, l.bottom - 2, 6, order)).toBe(0);
    expect(nearestRun(l, positions, 3, 200, l.top + 1, 6, order)).toBe(1);
    const midX = ((l.axisX[0] as number) + (l.axisX[1] as number)) / 2;
    expect(nearestRun(l, positions, 3, midX, yOf(l, 0.25), 6, order)).toBe(2); // the diagonal is at 0.25 halfway
    expect(nearestRun(l, positions, 3, 200, (l.top + l.bottom) / 2 - 60, 6, order)).toBeNull();
    expect(nearestRun(l, positions, 3, 200, l.bottom - 2, 6, order, Uint8Array.from([0, 1, 1]))).toBeNull();
    expect(nearestRun(l, positions, 3, 5, l.bottom, 6, order)).toBeNull(); // left of the first axis
  });
});
