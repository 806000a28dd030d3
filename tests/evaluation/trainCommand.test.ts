import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltWorkers } from "../models/builtLibrary";

const ROOT = resolve(__dirname, "..", "..");

/** The environment without OLX_CSV, so that the command reads the bundled sample. */
function withoutOlxCsv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OLX_CSV;
  return env;
}

describe("mlflow-demo-ts train (bundled sample)", () => {
  beforeAll(() => ensureBuiltWorkers());

  it("prints the comparison and, with --json, one JSON object as the last line", () => {
    const stdout = execFileSync(process.execPath, [join(ROOT, "bin", "mlflow-demo-ts.js"), "train", "--no-tracking", "--json"], {
      cwd: ROOT,
      env: withoutOlxCsv(),
      encoding: "utf8",
    });
    const lines = stdout.trim().split("\n");
    const result = JSON.parse(lines[lines.length - 1]!) as {
      models: Record<string, Record<string, number>>;
      best: string;
      wall_s: number;
    };
    expect(Object.keys(result.models)).toEqual(["Ridge", "RandomForest", "LinearSVR", "KNN"]);
    for (const figures of Object.values(result.models)) {
      expect(Object.keys(figures).sort()).toEqual(["fit_s", "test_mape", "test_rmse", "train_mape", "train_rmse"]);
      for (const v of Object.values(figures)) expect(v).toBeGreaterThan(0);
    }
    const best = Object.entries(result.models).reduce((a, b) => (b[1].test_rmse! < a[1].test_rmse! ? b : a));
    expect(result.best).toBe(best[0]);
    expect(result.wall_s).toBeGreaterThan(0);
    expect(stdout).toMatch(/best by test RMSE: /);
    expect(stdout).toMatch(/LinearSVR .* stops after 2 iterations/);
  });

  it("rejects unknown options", () => {
    expect(() =>
      execFileSync(process.execPath, [join(ROOT, "bin", "mlflow-demo-ts.js"), "train", "--bogus"], { cwd: ROOT, stdio: "pipe" }),
    ).toThrow(/bogus/);
  });
});
