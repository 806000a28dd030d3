import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/util/matrix";
import { DMatrix, fromXGBoostJSON, train } from "../../src/models/boosting";
import type { BoosterParams } from "../../src/models/boosting";
import { loadReferenceCases, ReferenceCase, XGB_EXACT_DIR } from "./referenceCases";

const haveReference = existsSync(XGB_EXACT_DIR);
if (!haveReference) console.warn(`SKIPPED: the XGBoost reference cases are missing (${XGB_EXACT_DIR})`);

function paramsOf(c: ReferenceCase): BoosterParams {
  const { nthread: _n, ...rest } = c.params;
  return rest as BoosterParams;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const tol = rel * Math.max(1, Math.abs(e));
    if (Math.abs((actual[i] as number) - e) > tol) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${e} (tolerance ${tol})`);
    }
  }
}

describe.skipIf(!haveReference)("XGBoost 1.7.4 reference cases (shared/reference/xgb_exact)", () => {
  const cases = haveReference ? loadReferenceCases() : [];
  it("finds the four cases", () => {
    expect(cases.length).toBe(4);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const dtrain = new DMatrix(fromRows(c.X_train), { label: c.y_train });
      const dtest = new DMatrix(fromRows(c.X_test), { label: c.y_test });
      const booster = train(paramsOf(c), dtrain, {
        numBoostRound: c.num_boost_round,
        evals: [[dtrain, "train"], [dtest, "test"]],
      });
      const refTrees = c.xgboost_model_json.learner.gradient_booster.model.trees;

      it("predicts train and test rows as XGBoost does (1e-5 relative)", () => {
        expectClose(booster.predict(dtrain), c.pred_train, 1e-5);
        expectClose(booster.predict(dtest), c.pred_test, 1e-5);
      });

      it("grows trees with XGBoost's node counts, split features, thresholds and covers", () => {
        expect(booster.trees.length).toBe(refTrees.length);
        booster.trees.forEach((t, k) => {
          const r = refTrees[k]!;
          expect(t.left.length, `tree ${k} nodes`).toBe(Number(r.tree_param.num_nodes));
          expect(Array.from(t.left), `tree ${k} left`).toEqual(r.left_children);
          expect(Array.from(t.splitIndex), `tree ${k} features`).toEqual(r.split_indices);
          expect(Array.from(t.sumHessian), `tree ${k} sum_hessian`).toEqual(r.sum_hessian);
          expectClose(t.splitCondition, r.split_conditions, 1e-6);
          expectClose(t.baseWeight, r.base_weights, 1e-6);
          expectClose(t.lossChange, r.loss_changes, 2e-3);
        });
      });

      it("records XGBoost's per-round eval RMSE", () => {
        expectClose(booster.evalsResult.train!.rmse!, c.eval_rmse.train, 1e-6);
        expectClose(booster.evalsResult.test!.rmse!, c.eval_rmse.test, 1e-6);
      });

      it("imports XGBoost's own model JSON and predicts its predictions", () => {
        const imported = fromXGBoostJSON(c.xgboost_model_json);
        expect(imported.trees.length).toBe(c.num_boost_round);
        expectClose(imported.predict(dtest), c.pred_test, 1e-6);
      });
    });
  }
});
