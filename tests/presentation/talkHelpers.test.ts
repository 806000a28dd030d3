// The display helpers behind the slides' tables and sentences: each sentence generated from the
// data is checked on both sides of every branch it has, against figures computed here from the
// inputs, so it stays true on the sample and on the real data alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame";
import { loadOlx } from "../../src/data/olx";
import {
  beforeAfterRecords,
  cleaningRecords,
  cleaningSentences,
  comparisonFindings,
  dataSourceSentences,
  diagramSvg,
  featureGroupRecords,
  featureGroups,
  featureRecords,
  foldedTreeHtml,
  formatCell,
  holdoutRecords,
  modelVersionRecords,
  paramRecords,
  proseHtml,
  setupDiagramSpec,
  systemRecords,
  transposeRecords,
  trialRecords,
  tuningSummarySentences,
  tuningVerdictSentences,
  type ComparedModel,
  type MlflowSetup,
} from "../../src/display";
import { formatTrialProgress, trialProgressTracker } from "../../src/experiments/progress";
import { prepareOlx } from "../../src/preprocess/prepareOlx";
import { createTrial } from "../../src/tuning/frozenTrial";
import { FloatDistribution, IntDistribution } from "../../src/tuning/distributions";
import type { FrozenTrial } from "../../src/tuning/frozenTrial";
import type { ModelVersion, Run } from "../../src/tracking/entities";

const sample = loadOlx();

describe("tables for slides", () => {
  it("group thousands in numbers of 10,000 and more, and keep years and small numbers as they are", () => {
    expect(formatCell(62818)).toBe("62,818");
    expect(formatCell(2022)).toBe("2022");
    expect(formatCell(46697.1234)).toBe("46,697.1");
    expect(formatCell(0.123456789, 3)).toBe("0.123");
    expect(formatCell(-123456)).toBe("-123,456");
  });

  it("turn records on their side, one row per field and one column per record", () => {
    const t = transposeRecords([{ run: "a", x: 1, y: 2 }, { run: "b", x: 3 }], "run", { header: "field" });
    expect(t).toEqual([{ field: "x", a: 1, b: 3 }, { field: "y", a: 2, b: null }]);
  });
});

describe("the cleaning table", () => {
  const rows = cleaningRecords(sample.stats);
  it("counts rows only: each step's rows left are the previous rows left minus what it removed", () => {
    expect(rows[0]?.["rows left"]).toBe(sample.stats.rows_raw);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]?.["rows left"]).toBe((rows[i - 1]?.["rows left"] as number) - (rows[i]?.["rows removed"] as number));
    }
    expect(rows[rows.length - 1]?.["rows left"]).toBe(sample.frame.nRows);
    for (const r of rows) expect(r["rows left"]).toBeLessThanOrEqual(sample.stats.rows_raw);
  });

  it("states the repaired text values (cells, not rows) in a sentence instead", () => {
    expect(JSON.stringify(rows)).not.toContain(String(sample.stats.repaired_text_values));
    expect(cleaningSentences(sample.stats)[0]).toContain(`${formatCell(sample.stats.repaired_text_values)} text values`);
  });
});

describe("the data's description", () => {
  it("says which data ran, with its counts, for the sample and for the real file", () => {
    const cities = new Set(sample.frame.text("city_name")).size;
    const [first] = dataSourceSentences(sample);
    expect(first).toContain("**synthetic sample**");
    expect(first).toContain(`${formatCell(sample.stats.rows_raw)} offers read, ${formatCell(sample.frame.nRows)} kept after cleaning, in ${cities} cities`);
    const real = dataSourceSentences({ ...sample, source: "real" });
    expect(real).toHaveLength(1);
    expect(real[0]).toContain("**real data**");
    expect(real.join(" ")).not.toMatch(/synthetic/);
  });

  it("measures each column on the data: ranges, commonest values, coordinates per city or scattered", () => {
    const frame = new Frame({
      price: Float64Array.from([100, 300, 200]),
      area: Float64Array.from([30, NaN, 50]),
      rooms: Float64Array.from([1, 2, 4]),
      floor: Float64Array.from([-1, 0, 11]),
      market: ["primary", "aftermarket", "aftermarket"],
      city_name: ["A", "A", "B"],
      longitude: Float64Array.from([20, 20, 21]),
      latitude: Float64Array.from([50, 50, 52]),
    });
    const flat = Object.fromEntries(featureRecords(frame, "flat").map((r) => [r.column, r["in this data"]]));
    expect(flat["price (target)"]).toBe("100 to 300");
    expect(flat["area"]).toBe("30 to 50; 1 missing");
    expect(flat["floor"]).toBe("-1 to 11");
    expect(flat["market"]).toBe("2 values, most often aftermarket (67 %)");
    const place = Object.fromEntries(featureRecords(frame, "place").map((r) => [r.column, r["in this data"]]));
    expect(place["longitude"]).toContain("one point per city");
    const scattered = new Frame({ ...Object.fromEntries(frame.columnNames.map((c) => [c, frame.get(c)])), longitude: Float64Array.from([20, 20.1, 21]) });
    expect(featureRecords(scattered, "place").find((r) => r.column === "longitude")?.["in this data"]).toContain("scattered around each city");
    expect(place["city_name (not used)"]).toBe("2 values, most often A (67 %)");
  });
});

describe("preprocessing, column by column", () => {
  const p = prepareOlx({ seed: 111 });
  it("gives every model feature to exactly one input column", () => {
    const indices = featureGroups(p.preprocessor).flatMap((g) => [...g.indices]).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: p.XTrain.cols }, (_, i) => i));
    const total = featureGroupRecords(p.preprocessor).reduce((n, r) => n + r.features, 0);
    expect(total).toBe(p.XTrain.cols);
  });

  it("shows a row before and after: the standardised numbers and the one-hot column that is 1", () => {
    const row = 3;
    const records = beforeAfterRecords(p.preprocessor, p.frameTrain, p.XTrain, row);
    const names = p.preprocessor.getFeatureNamesOut();
    for (const r of records) {
      const raw = p.frameTrain.rowRecord(row)[r.column];
      const i = names.indexOf(`num__${r.column}`);
      if (i >= 0) expect(Number(r.after)).toBeCloseTo(p.XTrain.data[row * p.XTrain.cols + i] as number, 2);
      else if (r.after.includes("= 1")) {
        const hot = r.after.split(" = 1")[0] as string;
        const column = names.indexOf(`cat__${r.column}_${hot === "rarer ones, grouped" ? "infrequent_sklearn" : hot}`);
        expect(p.XTrain.data[row * p.XTrain.cols + column]).toBe(1);
        if (hot !== "rarer ones, grouped") expect(raw).toBe(hot);
      }
    }
    expect(() => beforeAfterRecords(p.preprocessor, p.frameTrain, p.XTrain, p.XTrain.rows)).toThrow(/outside/);
  });
});

const model = (name: string, testRmse: number, trainRmse: number, testMape: number): ComparedModel => ({ name, testRmse, trainRmse, testMape, trainMape: testMape / 2, fitTime: 1 });

describe("what the model comparison shows", () => {
  it("names the best model, its margin, its MAPE and its overfitting, and a model far off", () => {
    const f = comparisonFindings([model("Ridge", 95_000, 94_000, 0.2), model("RandomForest", 68_000, 26_000, 0.13), model("LinearSVR", 420_000, 420_000, 0.98)]);
    expect(f[0]).toBe(`**RandomForest** has the lowest mean test RMSE, 68,000 PLN, ${(100 * (1 - 68 / 95)).toFixed(1)} % below Ridge's 95,000 PLN.`);
    expect(f[1]).toBe("It also has the lowest mean test MAPE, 13.0 %.");
    expect(f[2]).toBe(`RandomForest overfits: its training RMSE (26,000 PLN) is ${Math.round((100 * 26) / 68)} % of its test RMSE.`);
    expect(f[3]).toBe("LinearSVR with default settings is far off: 420,000 PLN, 6× the best.");
  });

  it("says so when another model wins on MAPE, when the best does not overfit, and nothing when none is far off", () => {
    const f = comparisonFindings([model("A", 50_000, 48_000, 0.2), model("B", 60_000, 30_000, 0.1)]);
    expect(f[1]).toBe("By MAPE, **B** is best (10.0 % against A's 20.0 %).");
    expect(f[2]).toBe("A's training RMSE (48,000 PLN) is close to its test RMSE: little overfitting.");
    expect(f).toHaveLength(3);
  });
});

describe("what the tuning shows", () => {
  const dist = { eta: new FloatDistribution(0.001, 0.3), max_depth: new IntDistribution(5, 10), gamma: new FloatDistribution(0.001, 10, { log: true }) };
  const trial = (number: number, state: "COMPLETE" | "PRUNED", value: number | null, steps: number): FrozenTrial => {
    const t = createTrial({ state, value, params: { eta: 0.0123456789 * (number + 1), max_depth: 5 + (number % 5), gamma: 0.5 }, distributions: dist, userAttrs: { n_rounds: steps } });
    t.number = number;
    t.intermediateValues = new Map(Array.from({ length: steps }, (_, i) => [i, 1e5 - i]));
    return t;
  };
  const trials = [trial(0, "COMPLETE", 50_000.4, 80), trial(1, "PRUNED", null, 11), trial(2, "COMPLETE", 48_000.6, 60), trial(3, "PRUNED", null, 15), trial(4, "PRUNED", null, 12)];

  it("lists the best completed trials first, rounded to three significant digits", () => {
    const rows = trialRecords(trials, { params: ["eta", "max_depth"], valueLabel: "RMSE" });
    expect(rows.map((r) => r["trial"])).toEqual([2, 0]);
    expect(rows[0]).toMatchObject({ trial: 2, RMSE: 48_001, rounds: 60, eta: 0.037, max_depth: 7 });
  });

  it("gives each parameter its rounded value and the range it was searched in", () => {
    expect(paramRecords(trials[0] as FrozenTrial)).toEqual([
      { parameter: "eta", value: 0.0123, "searched in": "0.001 to 0.3" },
      { parameter: "gamma", value: 0.5, "searched in": "0.001 to 10, log scale" },
      { parameter: "max_depth", value: 5, "searched in": "5 to 10, integers" },
    ]);
  });

  it("states the budget that ran, the outcomes and how early pruning stopped", () => {
    const short = tuningSummarySentences({ trials, budget: 5, originalBudget: 50, seconds: 75 });
    expect(short[0]).toBe("This run tried **5 trials**, a budget of 5 (the original Python project ran 50; `N_TRIALS=50` gives the full budget), in 75 s.");
    expect(short[1]).toBe("2 completed, 3 pruned: pruned trials stopped after a median of 12 rounds, completed ones ran 70.");
    expect(tuningSummarySentences({ trials, budget: 50, originalBudget: 50, seconds: 600 })[0]).toBe(
      "This run tried **5 trials**, the original Python project's full budget of 50, in 10 min 00 s.",
    );
  });

  const h = (rmse: number, mape: number) => ({ rmse, mape, mae: rmse * 0.7, r2: 0.8 });
  it("says honestly which model wins on the same holdout, whichever way the numbers fall", () => {
    const base = { holdoutRows: 12_564, tunedCvRmse: 48_875, forestCvRmse: 46_697, trials: 50 };
    const wins = tuningVerdictSentences({ ...base, tuned: h(46_333, 0.14), forest: h(46_900, 0.15) });
    expect(wins[0]).toBe(`On the same 12,564 holdout flats, the tuned booster's RMSE is 46,333 PLN against the random forest's 46,900 PLN: **tuning wins** by ${(100 * (567 / 46_900)).toFixed(1)} % (567 PLN).`);
    expect(wins[1]).toBe("By MAPE, the booster is better: 14.0 % against 15.0 %.");
    expect(wins[2]).toContain("the tuning's best CV RMSE (48,875 PLN) is above the forest's in part 2 (46,697 PLN)");
    const loses = tuningVerdictSentences({ ...base, tuned: h(50_000, 0.16), forest: h(46_000, 0.15) });
    expect(loses[0]).toContain("**the forest stays ahead** by 8.7 % (4000 PLN)");
    expect(loses[1]).toBe("By MAPE, the forest is better: 16.0 % against 15.0 %.");
    expect(tuningVerdictSentences({ ...base, tuned: h(46_100, 0.15), forest: h(46_000, 0.15) })[0]).toContain("**a tie**");
    expect(tuningVerdictSentences({ ...base, forestCvRmse: undefined, tuned: h(1, 1), forest: h(2, 2) })[2]).toBe("The tuning's best CV RMSE was 48,875 PLN (repeated 4×2 folds on the training part).");
    const copies = tuningVerdictSentences({ ...base, tuned: h(54_000, 0.11), forest: h(42_000, 0.07), unseen: { rows: 10_000, tuned: h(50_000, 0.1), forest: h(50_600, 0.1) } });
    expect(copies[2]).toBe(
      "2564 holdout flats (20 %) have an exact copy in the training part (duplicates are kept, as in the original Python project); " +
        `on the other 10,000, the booster's RMSE is 50,000 PLN against the forest's 50,600 PLN: **tuning wins** by ${(100 * (600 / 50_600)).toFixed(1)} % (600 PLN).`,
    );
    expect(copies).toHaveLength(4);
    const none = tuningVerdictSentences({ ...base, tuned: h(1, 1), forest: h(2, 2), unseen: { rows: base.holdoutRows, tuned: h(1, 1), forest: h(2, 2) } });
    expect(none).toHaveLength(3);
  });

  it("adds the RMSE on the flats without a training copy when given", () => {
    expect(holdoutRecords({ a: h(1, 0.1) }, { a: h(2.4, 0.1) })[4]).toEqual({ "on the holdout": "RMSE, flats not in training (PLN)", a: 2 });
  });

  it("puts the holdout figures side by side, one column per model", () => {
    expect(holdoutRecords({ tuned: h(46_333.4, 0.14321), forest: h(46_900, 0.15) })).toEqual([
      { "on the holdout": "RMSE (PLN)", tuned: 46_333, forest: 46_900 },
      { "on the holdout": "MAE (PLN)", tuned: Math.round(46_333.4 * 0.7), forest: Math.round(46_900 * 0.7) },
      { "on the holdout": "MAPE (%)", tuned: 14.32, forest: 15 },
      { "on the holdout": "R²", tuned: 0.8, forest: 0.8 },
    ]);
  });
});

describe("progress of a tuning run", () => {
  it("estimates the time left from the mean trial so far, capped by the timeout", () => {
    let now = 0;
    const track = trialProgressTracker(10, { now: () => now });
    const t = createTrial({ state: "COMPLETE", value: 48_875.2 });
    now = 4_000;
    const p1 = track(t, 48_875.2);
    expect(p1).toMatchObject({ done: 1, total: 10, elapsedSeconds: 4, remainingSeconds: 36 });
    now = 10_000;
    expect(track(t, 48_000).remainingSeconds).toBe((10 / 2) * 8);
    const capped = trialProgressTracker(10, { now: () => now, timeoutSeconds: 12 });
    now = 15_000;
    expect(capped(t, null).remainingSeconds).toBe(7);
    const line = formatTrialProgress({ ...p1, trial: { ...t, number: 0 } });
    expect(line).toMatch(/^ 1 of 10 {2}trial {2}0 {2}COMPLETE {2}value 48,875 +best 48,875 +4 s elapsed, about 36 s left$/);
    const pruned = createTrial({ state: "PRUNED", intermediateValues: new Map([[0, 1], [1, 2]]) });
    expect(formatTrialProgress({ ...p1, trial: pruned, done: 10, remainingSeconds: 0 })).toMatch(/PRUNED {4}pruned after 2 steps .* done$/);
  });
});

describe("a folded tree of a tracking store", () => {
  const dir = mkdtempSync(join(tmpdir(), "folded-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("collapses single-folder chains, lists files inline, shortens ids, fullest folders first, empties on one line", () => {
    const run = join(dir, "mlruns", "123456789012345678", "0123456789abcdef0123456789abcdef");
    for (const d of ["metrics", "params", "tags", "artifacts/notes"]) mkdirSync(join(run, d), { recursive: true });
    writeFileSync(join(run, "meta.yaml"), "");
    writeFileSync(join(run, "metrics", "rmse"), "1 2 3");
    for (const p of ["a", "b", "c", "d", "e"]) writeFileSync(join(run, "params", p), "");
    writeFileSync(join(run, "tags", "t"), "");
    writeFileSync(join(run, "artifacts", "notes", "readme.txt"), "");
    mkdirSync(join(dir, "mlruns", ".trash"));
    const html = foldedTreeHtml(join(dir, "mlruns"), { filesListed: 3, foldersShown: 2, notes: { rmse: "(values)" } });
    expect(html).toContain("<code>12345678…/01234567…/</code>");
    expect(html).toContain("<code>params/</code>: a, b, c, + 2 more");
    expect(html.indexOf("params/")).toBeLessThan(html.indexOf("artifacts/notes/"));
    expect(html).toContain("<code>artifacts/notes/</code>: readme.txt");
    expect(html).toContain("+ 2 more folders");
    expect(html).toContain("empty: <code>.trash/</code>");
    expect(html).not.toContain("rmse");
  });
});

describe("what MLflow records by itself", () => {
  const run = (tags: Record<string, string>, endTime: number | null): Run => ({
    info: { runId: "r".repeat(32), runName: "hello", experimentId: "1", userId: "ada", status: "FINISHED", startTime: Date.UTC(2026, 0, 2, 3, 4, 5), endTime, artifactUri: "", lifecycleStage: "active" },
    data: { metrics: [], params: [], tags: Object.entries(tags).map(([key, value]) => ({ key, value })) },
  });
  it("shows source, commit, user, start and end, and says when one was not recorded", () => {
    const rows = systemRecords(
      run({ "mlflow.source.name": "/repo/node_modules/.bin/tslab", "mlflow.source.type": "LOCAL", "mlflow.source.git.commit": "0123456789abcdef0123", "mlflow.user": "ada" }, Date.UTC(2026, 0, 2, 3, 4, 47)),
      "/repo",
    );
    expect(Object.fromEntries(rows.map((r) => [r.recorded, r.value]))).toEqual({
      source: "node_modules/.bin/tslab (LOCAL)",
      "git commit": "0123456789ab",
      user: "ada",
      start: "2026-01-02 03:04:05 UTC",
      end: "2026-01-02 03:04:47 UTC (42 s later)",
      status: "FINISHED",
    });
    const bare = Object.fromEntries(systemRecords(run({}, null)).map((r) => [r.recorded, r.value]));
    expect(bare["git commit"]).toBe("(not recorded: the source is not in a git checkout)");
    expect(bare["end"]).toBe("(still running)");
  });

  it("describes a model version with its aliases and the last line of its description", () => {
    const v: ModelVersion = {
      name: "m", version: "3", creationTimestamp: Date.UTC(2026, 0, 1), lastUpdatedTimestamp: 0, userId: null, currentStage: "None",
      description: "tuned\nHoldout: RMSE 46333", source: "", runId: "abc", runLink: null, status: "READY", statusMessage: null, tags: [], aliases: ["champion"], modelId: null,
    };
    expect(modelVersionRecords(v).map((r) => r.value)).toEqual(["m", "3", "@champion", "READY", "abc", "2026-01-01 00:00:00 UTC", "Holdout: RMSE 46333"]);
    // An MLflow 3 store links the version to its logged model, loadable as models:/<model_id>.
    const logged = modelVersionRecords({ ...v, modelId: "m-0123" }).find((r) => r.field === "logged model");
    expect(logged?.value).toBe("models:/m-0123");
  });
});

describe("sentences and diagrams as HTML", () => {
  it("escape text, keeping only bold and code marks", () => {
    expect(proseHtml(["a **b** `c` <i>"])).toBe('<p class="demo-prose">a <strong>b</strong> <code>c</code> &lt;i&gt;</p>');
    expect(proseHtml(["x", "y"], { bullets: true })).toBe('<ul class="demo-prose"><li>x</li><li>y</li></ul>');
  });

  it.each<[MlflowSetup]>([["local-files"], ["local-server"], ["remote"]])("the %s diagram: boxes inside the canvas and apart (text fit is measured in Chromium, figures.test.ts)", (setup) => {
    const spec = setupDiagramSpec(setup);
    for (const b of spec.boxes) {
      expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= spec.width && b.y + b.h <= spec.height, b.id).toBe(true);
      for (const o of spec.boxes) {
        if (o === b) continue;
        const apart = b.x + b.w <= o.x || o.x + o.w <= b.x || b.y + b.h <= o.y || o.y + o.h <= b.y;
        expect(apart, `${b.id} overlaps ${o.id}`).toBe(true);
      }
    }
    for (const a of spec.arrows ?? []) expect(spec.boxes.some((b) => b.id === a.from) && spec.boxes.some((b) => b.id === a.to)).toBe(true);
  });

  it("the remote diagram names the original talk's AWS pieces", () => {
    const svg = diagramSvg(setupDiagramSpec("remote"));
    for (const text of ["EC2 t2.micro", "RDS PostgreSQL t4g.micro", "S3 bucket", "port 5000", "port 5432", "security group", "instance role", "no public access"]) expect(svg).toContain(text);
    expect(() => diagramSvg({ width: 10, height: 10, title: "t", boxes: [], arrows: [{ from: "a", to: "b" }] })).toThrow(/names a box that does not exist/);
  });
});
