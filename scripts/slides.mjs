#!/usr/bin/env node
// `npm run slides [-- NAME ...]`: exports each executed notebook (notebooks/.executed/, written
// by `npm run notebooks`) to slides/NN-name.slides.html: reveal.js slides with reveal.js and
// plotly.js inlined, one self-contained file each, opening offline.
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { EXECUTED_DIR, exportSlides, listNotebooks, missingTools } from "./presentation-tools.mjs";

const missing = missingTools().filter((m) => !m.includes("tslab"));
if (missing.length > 0) {
  console.error(`slides: cannot export slides:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
const wanted = process.argv.slice(2).map((p) => basename(p, ".ipynb"));
const notebooks = listNotebooks().filter((nb) => wanted.length === 0 || wanted.some((w) => basename(nb).startsWith(w)));
let failed = 0;
for (const nb of notebooks) {
  const executed = join(EXECUTED_DIR, basename(nb));
  if (!existsSync(executed)) {
    console.error(`slides: ${executed} is missing: run npm run notebooks first`);
    failed++;
    continue;
  }
  try {
    const r = exportSlides(executed);
    console.log(`slides: ${r.output} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.seconds.toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.error(String(e instanceof Error ? e.message : e));
  }
}
process.exit(failed === 0 && notebooks.length > 0 ? 0 : 1);
