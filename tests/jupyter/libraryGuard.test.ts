// notebooks/library.js, the notebooks' door to the library, in a throwaway project laid out like
// this one (src/, dist/, notebooks/): it refuses a missing or stale dist/ with a message that
// says what to run, loads a fresh one, warns when dist/ is rebuilt under a running kernel, and
// hands the tuning a signal that SIGINT (Kernel > Interrupt) aborts. Then the real thing: a
// notebook run by the tslab kernel with dist/ missing fails on that message, not on types.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureKernel, executeNotebook, missingTools, NOTEBOOKS_DIR } from "../../scripts/presentation-tools.mjs";

const work = mkdtempSync(join(tmpdir(), "library-guard-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let projects = 0;
/** A project with the given files (path -> [content, seconds since the epoch as mtime]) and the real library.js. */
function project(files: Record<string, [string, number]>): string {
  const root = join(work, `p${++projects}`);
  for (const [path, [content, mtime]] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    utimesSync(join(root, path), mtime, mtime);
  }
  mkdirSync(join(root, "notebooks"), { recursive: true });
  cpSync(join(NOTEBOOKS_DIR, "library.js"), join(root, "notebooks", "library.js"));
  cpSync(join(NOTEBOOKS_DIR, "library.d.ts"), join(root, "notebooks", "library.d.ts"));
  return root;
}

/** Runs `script` in a node process in the project's notebooks/ (where a kernel runs). */
function inKernelDir(root: string, script: string) {
  const r = spawnSync(process.execPath, ["-e", script], { cwd: join(root, "notebooks"), encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DIST_INDEX = "module.exports = { answer: 42, runHyperOpt: async (options) => options };";
const T = 1_700_000_000; // seconds; later files get T + n

describe("notebooks/library.js", () => {
  it("without dist/ it says the library is not built and what to run", () => {
    const root = project({ "src/index.ts": ["export const answer = 42;", T] });
    const r = inKernelDir(root, 'require("./library")');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`Error: the library is not built (dist/index.js is missing): run \`npm run build\` in ${root}, then run this cell again`);
  });

  it("names the first source file newer than its built file", () => {
    const root = project({
      "src/index.ts": ["", T],
      "src/models/tree.ts": ["", T + 100],
      "dist/index.js": [DIST_INDEX, T + 50],
      "dist/models/tree.js": ["", T + 50],
    });
    const r = inKernelDir(root, 'require("./library")');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Error: dist/ is older than src/models/tree.ts: run `npm run build`");
  });

  it("names a source file that has no built file, and the kernels' .as.ts -> .wasm", () => {
    const added = project({ "src/index.ts": ["", T], "src/added.ts": ["", T], "dist/index.js": [DIST_INDEX, T + 50] });
    expect(inKernelDir(added, 'require("./library")').stderr).toContain("dist/ has no dist/added.js for src/added.ts");
    const wasm = project({
      "src/index.ts": ["", T],
      "src/wasm/kernels.as.ts": ["", T + 100],
      "dist/index.js": [DIST_INDEX, T + 50],
      "dist/wasm/kernels.wasm": ["", T + 50],
    });
    expect(inKernelDir(wasm, 'require("./library")').stderr).toContain("dist/ is older than src/wasm/kernels.as.ts");
  });

  it("holds the web UI's client (.ts and .tsx, bundled by scripts/build-ui.mjs) to the bundle's manifest, not to per-file .js", () => {
    const files = (pageAt: number): Record<string, [string, number]> => ({
      "src/index.ts": ["", T],
      "src/server/ui/client/lib/api.ts": ["", T],
      "src/server/ui/client/pages/RunsPage.tsx": ["", pageAt],
      "dist/index.js": [DIST_INDEX, T + 50],
      "dist/ui/manifest.json": ["{}", T + 50],
    });
    const fresh = inKernelDir(project(files(T)), 'require("./library"); console.log("loaded")');
    expect(fresh.stderr.split("\n").filter((l) => l.startsWith("Error"))).toEqual([]);
    expect(fresh.stdout).toContain("loaded");
    const edited = inKernelDir(project(files(T + 100)), 'require("./library")');
    expect(edited.stderr).toContain("Error: dist/ is older than src/server/ui/client/pages/RunsPage.tsx: run `npm run build`");
  });

  it("loads a fresh build; a rebuild under a running kernel asks for a restart", () => {
    const root = project({ "src/index.ts": ["", T], "src/a.d.ts": ["", T + 500], "dist/index.js": [DIST_INDEX, T + 50] });
    const script = `
      const fs = require("fs");
      const first = require("./library");
      console.log("answer", first.answer);
      const t = (Date.now() / 1000) + 5;
      fs.utimesSync("../dist/index.js", t, t);
      require("./library");`;
    const r = inKernelDir(root, script);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("Error"))).toEqual([]);
    expect(r.stdout).toContain("answer 42");
    expect(r.stderr).toContain("The library was rebuilt after this kernel loaded it: restart the kernel (Kernel > Restart)");
  });

  it("gives the tuning a signal that SIGINT aborts, and a fresh one after", () => {
    const root = project({ "src/index.ts": ["", T], "dist/index.js": [DIST_INDEX, T + 50] });
    const script = `
      (async () => {
        const lib = require("./library");
        const before = (await lib.runHyperOpt({ trials: 3 })).signal;
        process.kill(process.pid, "SIGINT");
        await new Promise((r) => setImmediate(r));
        const after = (await lib.runHyperOpt({ trials: 3 })).signal;
        const own = new AbortController().signal;
        const given = (await require("./library").runHyperOpt({ signal: own })).signal;
        console.log(JSON.stringify({ before: before.aborted, reason: String(before.reason), after: after.aborted, kept: given === own }));
      })();`;
    const r = inKernelDir(root, script);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({
      before: true,
      reason: "Error: interrupted (Kernel > Interrupt): the tuning stopped after its running trial",
      after: false,
      kept: true,
    });
  });
});

const missing = missingTools();
if (missing.length > 0) console.warn(`SKIPPED the guard in a tslab kernel: ${missing.join("; ")}`);

describe.skipIf(missing.length > 0)("notebooks/library.js in a tslab kernel", () => {
  it("a setup cell that uses the library fails on 'the library is not built', not on a type error", () => {
    ensureKernel();
    const root = project({ "src/index.ts": ["export const SIMPLE_TRAINER_SEED = 111;", T] });
    const nb = {
      cells: [
        { cell_type: "code", id: "a", metadata: {}, outputs: [], execution_count: null, source: 'import * as lib from "./library";\nconst SEED: number = lib.SIMPLE_TRAINER_SEED;' },
      ],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const path = join(root, "notebooks", "setup.ipynb");
    writeFileSync(path, JSON.stringify(nb));
    const r = executeNotebook(path, { timeoutSeconds: 240, outputDir: join(root, "executed") });
    expect(r.ok).toBe(false);
    expect(r.report).toContain("the library is not built (dist/index.js is missing): run `npm run build`");
    expect(r.report).not.toMatch(/does not exist on type|Cannot find module/);
    expect(readFileSync(path, "utf8")).toBe(JSON.stringify(nb)); // the notebook itself is untouched
  }, 300_000);
});
