#!/usr/bin/env node
// `npm run notebooks [-- NAME ...] [--timeout SECONDS] [--no-build] [--kernel-only]`: builds the
// library, registers the project's tslab kernel (project-local), then executes each notebook
// headless in a fresh kernel into notebooks/.executed/, showing which cell of how many runs and the
// cells' printed lines (the tuning's trials) as they come. Fails naming the cell and its error.
// --kernel-only registers the kernel and prints how to open the notebooks in Jupyter.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { buildLibrary, ensureKernel, executeNotebook, JUPYTER_DATA_DIR, listNotebooks, missingTools } from "./presentation-tools.mjs";

const { values, positionals } = parseArgs({
  options: {
    timeout: { type: "string", default: "1800" },
    "no-build": { type: "boolean", default: false },
    "kernel-only": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const missing = missingTools();
if (missing.length > 0) {
  console.error(`notebooks: cannot execute the notebooks:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
if (!values["no-build"]) {
  console.log("notebooks: building the library (dist/)");
  buildLibrary();
}
const kernel = ensureKernel();
console.log(`notebooks: tslab kernel registered in ${kernel}`);
if (values["kernel-only"]) {
  console.log(`open the notebooks with:\n  JUPYTER_PATH=${JUPYTER_DATA_DIR}/share/jupyter jupyter notebook notebooks/`);
  process.exit(0);
}
const wanted = positionals.map((p) => basename(p, ".ipynb"));
const notebooks = listNotebooks().filter((nb) => wanted.length === 0 || wanted.some((w) => basename(nb).startsWith(w)));
if (notebooks.length === 0) {
  console.error(`notebooks: no notebook matches ${wanted.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const [i, nb] of notebooks.entries()) {
  const label = basename(nb, ".ipynb");
  console.log(`notebooks: executing ${basename(nb)} (notebook ${i + 1} of ${notebooks.length})`);
  const r = executeNotebook(nb, { timeoutSeconds: Number(values.timeout), progress: `  ${label}` });
  if (r.ok) console.log(`notebooks: ${basename(nb)} ok in ${r.seconds.toFixed(1)} s -> ${r.output}`);
  else {
    failed++;
    console.log(`notebooks: ${basename(nb)} FAILED after ${r.seconds.toFixed(1)} s`);
    console.error(`\n${basename(nb)}:\n${r.report}\n`);
  }
}
console.log(`notebooks: ${notebooks.length - failed} of ${notebooks.length} executed without errors`);
process.exit(failed === 0 ? 0 : 1);
