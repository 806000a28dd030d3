#!/usr/bin/env node
// `npm run slides [-- NAME ...] [--pdf] [--check]`: exports each executed notebook
// (notebooks/.executed/, written by `npm run notebooks`) to slides/NN-name.slides.html: reveal.js
// slides with reveal.js and plotly.js inlined, speaker notes, and screenshots of the tracking UI
// taken in Chromium from the runs the notebooks logged; one self-contained file each, opening
// offline. --pdf also prints each deck to slides/NN-name.pdf (one slide per page); --check walks
// every slide at 1280x720 and reports what a projector would show wrong (scripts/deck-check.mjs),
// saving a screenshot per slide in slides/.review/.
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { buildSlides } from "./build-slides.mjs";
import { EXECUTED_DIR, listNotebooks, missingTools } from "./presentation-tools.mjs";

const { values, positionals } = parseArgs({
  options: { pdf: { type: "boolean", default: false }, check: { type: "boolean", default: false } },
  allowPositionals: true,
});
const missing = missingTools().filter((m) => !m.includes("tslab"));
if (missing.length > 0) {
  console.error(`slides: cannot export slides:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
const wanted = positionals.map((p) => basename(p, ".ipynb"));
const notebooks = listNotebooks().filter((nb) => wanted.length === 0 || wanted.some((w) => basename(nb).startsWith(w)));
if (notebooks.length === 0) {
  console.error(`slides: no notebook matches ${wanted.join(", ")}`);
  process.exit(2);
}
const executed = notebooks.map((nb) => join(EXECUTED_DIR, basename(nb)));
try {
  const { problems } = await buildSlides(executed, { pdf: values.pdf, check: values.check, log: (line) => console.log(line) });
  for (const p of problems) console.error(p);
  process.exit(problems.length === 0 ? 0 : 1);
} catch (e) {
  console.error(`slides: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
