#!/usr/bin/env node
// `npm run notebooks [-- NAME ...] [--timeout SECONDS] [--no-build] [--kernel-only [--user [--uninstall]]]`: builds the
// library, registers the project's tslab kernel (project-local), then executes each notebook
// headless in a fresh kernel into notebooks/.executed/, showing which cell of how many runs and the
// cells' printed lines (the tuning's trials) as they come. Fails naming the cell and its error.
// --kernel-only registers the kernel and prints how to open the notebooks in Jupyter; with --user,
// in the user's own Jupyter data dir instead (for `jupyter kernelspec list`, VS Code), and
// --user --uninstall removes it from there.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { installUserKernel, uninstallUserKernel } from "./jupyter-tools.mjs";
import { buildLibrary, ensureKernel, executeNotebook, JUPYTER_DATA_DIR, listNotebooks, missingTools } from "./presentation-tools.mjs";

const { values, positionals } = parseArgs({
  options: {
    timeout: { type: "string", default: "1800" },
    "no-build": { type: "boolean", default: false },
    "kernel-only": { type: "boolean", default: false },
    user: { type: "boolean", default: false },
    uninstall: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
if ((values.user || values.uninstall) && !values["kernel-only"]) {
  console.error("notebooks: --user and --uninstall go with --kernel-only (npm run notebooks -- --kernel-only --user [--uninstall])");
  process.exit(2);
}
if (values.uninstall && !values.user) {
  console.error("notebooks: --uninstall removes the kernel from the user's Jupyter: --kernel-only --user --uninstall");
  process.exit(2);
}
if (values.uninstall) {
  const outcome = uninstallUserKernel();
  const said = {
    removed: "notebooks: removed the project's tslab kernel from the user's Jupyter",
    absent: "notebooks: no tslab kernel in the user's Jupyter: nothing to remove",
    "not ours": "notebooks: the user's tslab kernel is not this project's (another tslab): left in place (jupyter kernelspec remove tslab removes it anyway)",
  };
  console.log(said[outcome]);
  process.exit(outcome === "not ours" ? 1 : 0);
}
const missing = missingTools();
if (missing.length > 0) {
  console.error(`notebooks: cannot execute the notebooks:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
if (!values["no-build"]) {
  console.log("notebooks: building the library (dist/)");
  buildLibrary();
}
if (values.user) {
  const { dir, replaced } = installUserKernel();
  if (replaced !== null) console.log(`notebooks: replaced the user's tslab kernel, which ran ${replaced.join(" ")}`);
  console.log(`notebooks: tslab kernel registered for this user in ${dir}\n(jupyter kernelspec list shows it; remove it with npm run notebooks -- --kernel-only --user --uninstall)`);
  process.exit(0);
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
