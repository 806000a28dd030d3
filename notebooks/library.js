// The notebooks' door to the library: `import * as lib from "./library";` in a setup cell.
// It checks that the built library (dist/) exists and is not older than its sources (src/)
// before loading it, so a cell says "run `npm run build`" instead of failing on an import or
// silently running yesterday's code. CommonJS and plain JavaScript on purpose: tslab compiles
// cells to CommonJS and can only require .js outside the cell; library.d.ts gives it the types.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SRC = path.join(ROOT, "src");
const DIST = path.join(ROOT, "dist");
const ENTRY = path.join(DIST, "index.js");
// Where the kernel remembers which build it loaded (this module re-runs on every import).
const LOADED = Symbol.for("mlflow-demo-ts.notebooks.loadedBuild");

// The web UI's client (Preact, .ts and .tsx) is not compiled file by file: scripts/build-ui.mjs
// bundles it into dist/ui and writes dist/ui/manifest.json last.
const UI_CLIENT = path.join("server", "ui", "client");
const UI_MANIFEST = path.join(DIST, "ui", "manifest.json");

/**
 * The built file of a source file: x.ts -> x.js, the AssemblyScript kernels x.as.ts -> x.wasm,
 * the UI client's files -> the bundle's manifest.
 */
function builtFileOf(source) {
  const rel = path.relative(SRC, source);
  if (rel.startsWith(UI_CLIENT + path.sep)) return UI_MANIFEST;
  if (rel.endsWith(".as.ts")) return path.join(DIST, rel.slice(0, -".as.ts".length) + ".wasm");
  return path.join(DIST, rel.replace(/\.ts$/, ".js"));
}

function sourceFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * Why dist/ cannot be used, as a message that says what to run, or null when it is fresh:
 * missing, or a source file newer than its built file (or with none).
 */
function buildProblem() {
  const build = `run \`npm run build\` in ${ROOT}, then run this cell again`;
  if (mtime(ENTRY) === null) return `the library is not built (${path.relative(ROOT, ENTRY)} is missing): ${build}`;
  if (!fs.existsSync(SRC)) return null; // an installed package: dist/ only
  for (const source of sourceFiles(SRC)) {
    const built = builtFileOf(source);
    const builtAt = mtime(built);
    const name = path.relative(ROOT, source);
    if (builtAt === null) return `dist/ has no ${path.relative(ROOT, built)} for ${name} (the build is older than src/): ${build}`;
    if (mtime(source) > builtAt) return `dist/ is older than ${name}: ${build}`;
  }
  return null;
}

const problem = buildProblem();
if (problem !== null) {
  const error = new Error(problem);
  // tslab prints what a cell throws with util.inspect: the message is the whole story, a stack
  // into this file (and Node's source excerpt) would only hide it.
  error[Symbol.for("nodejs.util.inspect.custom")] = () => `Error: ${problem}`;
  throw error;
}

const builtAt = mtime(ENTRY);
const loaded = globalThis[LOADED];
if (loaded === undefined) globalThis[LOADED] = builtAt;
else if (loaded !== builtAt) {
  // Node keeps the first build it loaded: only a new kernel process sees the new one.
  console.warn("The library was rebuilt after this kernel loaded it: restart the kernel (Kernel > Restart) to use the new build.");
}

// Kernel > Interrupt sends the kernel SIGINT: tslab then stops waiting for the cell, but the
// cell's promise runs on. The tuning takes an AbortSignal; here it gets one that the interrupt
// aborts, so an interrupted tuning stops after its running trial instead of competing with the
// next cell (a rerun with fewer trials). One listener per kernel, a fresh signal per interrupt.
const INTERRUPT = Symbol.for("mlflow-demo-ts.notebooks.interrupt");
if (globalThis[INTERRUPT] === undefined) {
  const state = { controller: new AbortController() };
  process.on("SIGINT", () => {
    state.controller.abort(new Error("interrupted (Kernel > Interrupt): the tuning stopped after its running trial"));
    state.controller = new AbortController();
  });
  globalThis[INTERRUPT] = state;
}
const interrupts = globalThis[INTERRUPT];

const library = require(DIST);
module.exports = {
  ...library,
  runHyperOpt: (options = {}) => library.runHyperOpt({ signal: interrupts.controller.signal, ...options }),
};
// Run the check again on the next import (a rerun of the setup cell after a rebuild).
delete require.cache[__filename];
