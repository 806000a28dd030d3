import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { boostCommand } from "../../src/cli/boostCommand";
import { DMatrix, fromXGBoostJSON, loadModel, train } from "../../src/models/boosting";
import { synthetic } from "./synthetic";

const dir = mkdtempSync(join(tmpdir(), "boost-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const m = synthetic(200, 3, 4);
const header = "a,b,price,c\n";
const lines = Array.from({ length: 200 }, (_, i) => {
  const x = (j: number) => m.X.data[i * 3 + j];
  return `${x(0)},${x(1)},${m.y[i]},${i % 7 === 0 ? "" : x(2)}`;
});
const csv = join(dir, "train.csv");
writeFileSync(csv, header + lines.join("\n") + "\n");

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await boostCommand.run(args), out };
  } finally {
    spy.mockRestore();
  }
}

describe("boost command", () => {
  it("trains from a CSV, saves both formats, predicts a file, prints JSON last", async () => {
    const save = join(dir, "m.json");
    const xgbPath = join(dir, "xgb.json");
    const outPath = join(dir, "pred.csv");
    const { code, out } = await run(["--csv", csv, "--label", "price", "--params", '{"eta":0.3,"max_depth":3}', "--rounds", "7",
      "--save", save, "--xgboost-json", xgbPath, "--predict", csv, "--out", outPath, "--json"]);
    expect(code).toBe(0);
    const last = JSON.parse(out.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ rows: 200, features: 3, rounds: 7, saved: save, xgboost_json: xgbPath });
    // Independent: the same model trained through the library on the same numbers.
    const X = { rows: 200, cols: 3, data: new Float64Array(600) };
    for (let i = 0; i < 200; i++) {
      X.data[i * 3] = m.X.data[i * 3]!;
      X.data[i * 3 + 1] = m.X.data[i * 3 + 1]!;
      X.data[i * 3 + 2] = i % 7 === 0 ? NaN : m.X.data[i * 3 + 2]!;
    }
    const direct = train({ eta: 0.3, max_depth: 3 }, new DMatrix(X, { label: m.y }), { numBoostRound: 7 }).predict(X);
    const written = readFileSync(outPath, "utf8").trim().split("\n");
    expect(written[0]).toBe("prediction");
    expect(written.slice(1).map(Number)).toEqual(Array.from(direct));
    expect(Array.from(loadModel(save).predict(X))).toEqual(Array.from(direct));
    expect(Array.from(fromXGBoostJSON(JSON.parse(readFileSync(xgbPath, "utf8"))).predict(X))).toEqual(Array.from(direct));
    expect(loadModel(save).featureNames).toEqual(["a", "b", "c"]);
  });

  it("names the file, row and column of a bad value", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,price\n1,2\n3,x\n");
    await expect(run(["--csv", bad, "--label", "price"])).rejects.toThrow(/bad\.csv, row 3, column "price": "x" is not a number/);
    await expect(run(["--csv", csv, "--label", "nope"])).rejects.toThrow(/has no column "nope"/);
    await expect(run(["--csv", csv, "--label", "price", "--params", "{eta:1}"])).rejects.toThrow(/--params is not valid JSON/);
    await expect(run(["--csv", csv, "--label", "price", "--params", '{"eta":-1}'])).rejects.toThrow(/"eta"/);
    expect((await run(["--csv", csv])).code).toBe(2);
  });

  it("refuses a CSV with a header and no rows, and writes no model", async () => {
    const empty = join(dir, "header-only.csv");
    writeFileSync(empty, "a,b,price\n");
    const save = join(dir, "empty-model.json");
    await expect(run(["--csv", empty, "--label", "price", "--save", save])).rejects.toThrow(
      `${empty}: has a header but no data rows: there is nothing to train on`,
    );
    expect(existsSync(save)).toBe(false);
  });

  it("leaves no model file when a later step fails (here --predict on a file without a feature)", async () => {
    const out = mkdtempSync(join(dir, "outputs-"));
    const other = join(dir, "no-c.csv");
    writeFileSync(other, "a,b\n1,2\n");
    await expect(
      run(["--csv", csv, "--label", "price", "--save", join(out, "m.json"), "--xgboost-json", join(out, "x.json"), "--predict", other, "--out", join(out, "p.csv")]),
    ).rejects.toThrow(/no-c\.csv: has no column "c"/);
    expect(readdirSync(out)).toEqual([]);
    // A folder that cannot take the last output: the model written before it is removed again.
    await expect(run(["--csv", csv, "--label", "price", "--save", join(out, "m.json"), "--predict", csv, "--out", join(out, "missing", "p.csv")])).rejects.toThrow(/ENOENT/);
    expect(readdirSync(out)).toEqual([]);
  });

  it("bounds --rounds", async () => {
    await expect(run(["--csv", csv, "--label", "price", "--rounds", "1000000"])).rejects.toThrow('--rounds must be an integer from 0 to 10,000, got "1000000"');
    await expect(run(["--csv", csv, "--label", "price", "--rounds", "2.5"])).rejects.toThrow(/--rounds must be an integer/);
  });
});
