import { describe, expect, it } from "vitest";
import { Booster, cv, DMatrix, train } from "../../src/models/boosting";
import { workerPool, workerScriptPath } from "../../src/models/boosting/workerPool";
import { synthetic } from "./synthetic";

const script = workerScriptPath();
if (script === null) console.warn("SKIPPED: dist/models/boosting/histWorker.js is missing or older than its sources (run `npm run build`); the 2-thread check is skipped");

describe("threads", () => {
  it.skipIf(script === null)("gives bit-identical models with 1 and 2 threads", () => {
    // Large enough for 4 row shards (70,000 rows) and parallel split evaluation (16+ nodes x ~7,700 bins >= 65,536).
    const m = synthetic(70_000, 40, 9, 0.02);
    const pool = workerPool(1);
    pool?.waitReady();
    const before = pool?.workerUnits ?? 0;
    const d = new DMatrix(m.X, { label: m.y });
    const strip = (j: ReturnType<Booster["toJSON"]>) => JSON.stringify({ ...j, params: { ...j.params, nthread: 0 } });
    for (const p of [{ max_depth: 6, eta: 0.3, subsample: 0.8, seed: 1 }, { max_depth: 5, eta: 0.3 }]) {
      const one = train({ ...p, nthread: 1 }, d, { numBoostRound: 6 });
      const two = train({ ...p, nthread: 2 }, d, { numBoostRound: 6 });
      // Everything but the recorded nthread parameter must be identical.
      expect(two.trees.length).toBe(6);
      expect(strip(two.toJSON())).toBe(strip(one.toJSON()));
    }
    // The worker took part (it claims its own shards, so it runs some unless it never wakes).
    expect((pool?.workerUnits ?? 0) - before).toBeGreaterThan(0);
  });

  it.skipIf(script === null)("runs cv folds (one engine each, sharing the worker pool) identically with 2 threads", () => {
    const m = synthetic(50_000, 10, 3); // folds of 33,333 rows: two shards each
    const d = new DMatrix(m.X, { label: m.y });
    const one = cv({ max_depth: 5, nthread: 1 }, d, { nfold: 3, seed: 5, numBoostRound: 8 });
    const two = cv({ max_depth: 5, nthread: 2 }, d, { nfold: 3, seed: 5, numBoostRound: 8 });
    expect(two).toEqual(one);
  });
});
