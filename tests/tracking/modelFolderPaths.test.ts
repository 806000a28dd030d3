/**
 * Paths read from a model folder stay inside it: `MLmodel`'s `model_data` and
 * `preprocessor_data` (relative, absolute, `..`, symlinks out of the folder) and `MLmodel`
 * itself as a symlink; errors name the file but never echo what it holds.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readModelInfo, readSavedEstimators, saveModel } from "../../src/tracking/model/mlmodel";
import { readXGBoostFlavor } from "../../src/tracking/model/flavors/xgboostFlavor";
import { loadOnnxModel } from "../../src/integration/onnxModelLoader";

const SECRET = "root:x:0:0:TOP-SECRET-LINE";

describe("model folders cannot lead reads outside themselves", () => {
  let dir: string;
  let outside: string;
  let n = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "model-paths-"));
    outside = join(dir, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "passwd"), SECRET + "\n");
    writeFileSync(join(outside, "model.json"), JSON.stringify({ kind: "Evil", params: {}, state: null }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function modelDir(flavor: Record<string, string>): string {
    const m = join(dir, `m${n++}`);
    mkdirSync(m);
    writeFileSync(join(m, "model.json"), JSON.stringify({ kind: "Ridge", params: {}, state: {} }));
    const fields = Object.entries({ model_data: "model.json", ...flavor }).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join("\n");
    writeFileSync(join(m, "MLmodel"), `flavors:\n  mlflow_demo_ts:\n    estimator_kind: Ridge\n${fields}\nmodel_uuid: abc\n`);
    return m;
  }

  it("reads a normal saved model", () => {
    const m = join(dir, "normal");
    saveModel({ toJSON: () => ({ kind: "Ridge", params: { alpha: 1 }, state: { w: [1] } }) }, m);
    expect(readSavedEstimators(m).model.kind).toBe("Ridge");
    const nested = modelDir({ model_data: "./sub/../model.json" });
    expect(readSavedEstimators(nested).model.kind).toBe("Ridge");
  });

  it("refuses model_data and preprocessor_data leaving the folder, without echoing the file", () => {
    const escapes = ["../outside/passwd", "../../../../../../../../" + join(outside, "passwd"), join(outside, "passwd"), "sub/../../outside/model.json"];
    for (const path of escapes) {
      for (const field of ["model_data", "preprocessor_data"]) {
        const m = modelDir({ [field]: path });
        let message = "";
        try {
          readSavedEstimators(m);
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message, `${field}: ${path}`).toMatch(/outside the model folder/);
        expect(message).not.toContain("TOP-SECRET");
        expect(message).not.toContain("root:x");
      }
    }
  });

  it("refuses symlinks that lead out of the folder (data files and MLmodel itself)", () => {
    const linked = modelDir({ model_data: "link.json" });
    symlinkSync(join(outside, "passwd"), join(linked, "link.json"));
    expect(() => readSavedEstimators(linked)).toThrow(/outside the model folder/);
    const linkedDir = modelDir({ model_data: "d/passwd" });
    symlinkSync(outside, join(linkedDir, "d"));
    expect(() => readSavedEstimators(linkedDir)).toThrow(/outside the model folder/);
    const mlmodelLink = join(dir, "mlmodel-link");
    mkdirSync(mlmodelLink);
    symlinkSync(join(outside, "passwd"), join(mlmodelLink, "MLmodel"));
    let message = "";
    try {
      readModelInfo(mlmodelLink);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/outside the model folder/);
    expect(message).not.toContain("TOP-SECRET");
  });

  it("reports a file that is not JSON or YAML by name only", () => {
    const bad = modelDir({ model_data: "model.json" });
    writeFileSync(join(bad, "model.json"), SECRET);
    let message = "";
    try {
      readSavedEstimators(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("model.json");
    expect(message).not.toContain("TOP-SECRET");
    expect(message).not.toContain("root:x");
    const badYaml = join(dir, "bad-yaml");
    mkdirSync(badYaml);
    writeFileSync(join(badYaml, "MLmodel"), `flavors: [unclosed ${SECRET}\n  - : :\n`);
    let yamlMessage = "";
    try {
      readModelInfo(badYaml);
    } catch (err) {
      yamlMessage = (err as Error).message;
    }
    expect(yamlMessage).toContain("MLmodel");
    expect(yamlMessage).not.toContain("TOP-SECRET");
  });

  it("keeps the xgboost and onnx flavors' data paths inside the folder too", async () => {
    for (const format of ["json", "ubj"]) {
      for (const data of ["../outside/passwd", join(outside, "passwd"), "link"]) {
        const m = modelDir({ model_data: "model.json" });
        if (data === "link") symlinkSync(join(outside, "passwd"), join(m, "link"));
        let message = "";
        try {
          readXGBoostFlavor(m, { model_format: format, data });
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message, `${format} ${data}`).toMatch(/outside the model folder/);
        expect(message).not.toContain("TOP-SECRET");
      }
    }
    const bad = modelDir({ model_data: "model.json" });
    writeFileSync(join(bad, "booster.json"), SECRET);
    expect(() => readXGBoostFlavor(bad, { model_format: "json", data: "booster.json" })).toThrow(/'booster.json' is not valid JSON/);
    expect(() => readXGBoostFlavor(bad, { model_format: "json", data: "booster.json" })).not.toThrow(/TOP-SECRET/);
    const onnx = join(dir, "onnx-escape");
    mkdirSync(onnx);
    writeFileSync(join(onnx, "MLmodel"), `flavors:\n  onnx:\n    data: ../outside/passwd\n    onnx_version: 1.12.0\nmodel_uuid: abc\n`);
    await expect(loadOnnxModel(onnx)).rejects.toThrow(/outside the model folder/);
  });
});
