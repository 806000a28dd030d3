import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm test`'s pretest runs the checker on src/ (`npm run imports`); this shows that the rules
// it runs with do catch what they are for, on a small tree made to break each.
const ROOT = resolve(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(dir, "tree-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, "src", path, ".."), { recursive: true });
    writeFileSync(join(root, "src", path), text);
  }
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", strict: true }, include: ["src"] }));
  return root;
}

function cruise(root: string): { status: number | null; out: string } {
  const bin = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
  const r = spawnSync(process.execPath, [bin, "src", "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "err"], { cwd: root, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("the import rules (.dependency-cruiser.cjs)", () => {
  it("fail on a circle of type-only imports, on a later layer imported, and on tracking importing ML code", () => {
    const root = tree({
      "data/frame.ts": 'import type { View } from "./view";\nexport type Frame = { view?: View };\n',
      "data/view.ts": 'import type { Frame } from "./frame";\nexport type View = { frame?: Frame };\n',
      "preprocess/scale.ts": 'import { fit } from "../models/fit";\nexport const scale = fit;\n',
      "models/fit.ts": "export const fit = 1;\n",
      "tracking/log.ts": 'import { scale } from "../preprocess/scale";\nexport const log = scale;\n',
    });
    const { status, out } = cruise(root);
    expect(status).not.toBe(0);
    expect(out).toMatch(/no-circular: src\/data\/frame\.ts/);
    expect(out).toMatch(/preprocess-imports-no-later-layer: src\/preprocess\/scale\.ts → src\/models\/fit\.ts/);
    expect(out).toMatch(/tracking-imports-no-ml-code: src\/tracking\/log\.ts → src\/preprocess\/scale\.ts/);
  }, 60_000);
});
