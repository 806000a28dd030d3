import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** Debian's Python (a pyenv `python3` may shadow it). */
export const PYTHON = "/usr/bin/python3";

function pythonHas(module: string): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", `import ${module}`]).status === 0;
}

/** True when Debian's python3-yaml (PyYAML) is importable. */
export const HAS_PYYAML = pythonHas("yaml");
if (!HAS_PYYAML) console.warn(`SKIPPED the PyYAML cross-checks of the tracking tests: ${PYTHON} with PyYAML (python3-yaml) not found`);

/** Runs a Python script with JSON on stdin; resolves to its parsed JSON stdout. */
export function runPython<T>(script: string, input: unknown, args: string[] = []): T {
  const r = spawnSync(PYTHON, ["-c", script, ...args], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "mlflow-ts-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` as `/`-joined relative paths. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

const ROOT = join(__dirname, "..", "..");
let compiled: string | undefined;

/**
 * Transpiles src/tracking (and what it imports: src/util, src/errors.ts) to CommonJS in
 * a temporary directory, for worker threads and child processes, which cannot load
 * TypeScript. Resolves to the path of the compiled `tracking/index.js`.
 */
export function compiledTracking(): string {
  if (compiled !== undefined) return compiled;
  const out = mkdtempSync(join(tmpdir(), "mlflow-ts-compiled-"));
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith(".ts") ? [join(d, n)] : []));
  const files = [...walk(join(ROOT, "src", "tracking")), ...walk(join(ROOT, "src", "util")), join(ROOT, "src", "errors.ts")];
  for (const file of files) {
    const js = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    const dest = join(out, relative(join(ROOT, "src"), file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  // package.json so that getLibraryVersion() finds the name and version.
  writeFileSync(join(out, "package.json"), readFileSync(join(ROOT, "package.json")));
  compiled = join(out, "tracking", "index.js");
  return compiled;
}
