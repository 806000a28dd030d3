#!/usr/bin/env node
// Issue 19's cells for notebook 02: the cleaned offers explored with arquero, each table one
// statement of arquero's own API that a data scientist can change and rerun. They go after the
// cities chart (the cell calling `citiesScatter(`), before the preprocessing.
//   node scripts/add-explore-cells.mjs NOTEBOOK [OUTPUT]   inserts them (again: replaces them)
//   node scripts/add-explore-cells.mjs --markdown          prints them (docs/notebook02-explore-cells.md)
import { readFileSync, writeFileSync } from "node:fs";

/** The cells' ids start with this, so a second run replaces them rather than adding more. */
export const EXPLORE_ID = "explore-";

/** Where the cells go: after the first cell whose source contains this. */
export const INSERT_AFTER = "citiesScatter(";

const md = (id, slideType, source, notes) => ({
  cell_type: "markdown",
  id: `${EXPLORE_ID}${id}`,
  metadata: { slideshow: { slide_type: slideType }, demo: { notes } },
  source,
});
const code = (id, slideType, source, demo) => ({
  cell_type: "code",
  execution_count: null,
  id: `${EXPLORE_ID}${id}`,
  metadata: { slideshow: { slide_type: slideType }, ...(demo === undefined ? {} : { demo }) },
  outputs: [],
  source,
});

/** The cells, in order (nbformat 4.5 cells; `source` as one string here, as lines in the notebook). */
export const EXPLORE_CELLS = [
  md(
    "title",
    "slide",
    "## Exploring the offers with arquero\n\n" +
      "The cleaned offers as an arquero table: each table below is one statement of arquero's own API " +
      "(`groupby`, `rollup`, `filter`, `orderby`), so change it and rerun the cell.",
    "Before preprocessing, a look at the data the way a data scientist would in pandas: arquero is a small, maintained data-frame library for JavaScript. " +
      "olxArquero hands it the cleaned frame without copying the numeric columns; arqueroHtml shows a table rounded, with thousands separators and a row limit.",
  ),
  code(
    "setup",
    "-",
    "import * as frames from \"../dist/frames\"; // the arquero helpers, an entry of their own\n" +
      "const aq = frames.arquero(); // arquero itself, as its documentation uses it: aq.op, aq.desc, aq.table\n" +
      "const { op, desc } = aq;\n" +
      "const olx = frames.olxArquero(data); // the cleaned offers as an arquero table\n" +
      "const shown = [\"city_name\", \"voivodeship\", \"market\", \"price\", \"area\", \"rooms\", \"floor\"];\n" +
      "tslab.display.html(frames.arqueroHtml(olx.select(...shown), { maxRows: 4 }));",
    { expect: "table" },
  ),
  md(
    "summary-title",
    "subslide",
    "### The numeric columns, summarised",
    "fold turns the chosen columns into key and value rows, then one roll-up per column: the count of known values, mean, standard deviation, minimum, median and maximum. Missing values are skipped, as pandas does.",
  ),
  code(
    "summary",
    "-",
    "const numeric = [\"price\", \"price_per_meter\", \"area\", \"rooms\", \"floor\", \"population\"];\n" +
      "tslab.display.html(frames.arqueroHtml(olx.fold(numeric).groupby(\"key\").rollup({\n" +
      "  known: (d) => op.valid(d.value), mean: (d) => op.mean(d.value), std: (d) => op.stdev(d.value),\n" +
      "  min: (d) => op.min(d.value), median: (d) => op.median(d.value), max: (d) => op.max(d.value),\n" +
      "})));",
    { expect: "table" },
  ),
  md(
    "voivodeship-title",
    "subslide",
    "### Prices by voivodeship",
    "One row per voivodeship, the dearest first by median price. The row limit keeps the slide readable; in the notebook, raise maxRows to see all sixteen.",
  ),
  code(
    "voivodeship",
    "-",
    "tslab.display.html(frames.arqueroHtml(olx.groupby(\"voivodeship\")\n" +
      "  .rollup({\n" +
      "    offers: op.count(), median_price: (d) => op.median(d.price), mean_price: (d) => op.mean(d.price),\n" +
      "    median_per_m2: (d) => op.median(d.price_per_meter),\n" +
      "  })\n" +
      "  .orderby(desc(\"median_price\")), { maxRows: 8 }));",
    { expect: "table" },
  ),
  md(
    "market-title",
    "subslide",
    "### Prices by market",
    "Primary market means new flats from developers, aftermarket resale. The same roll-up with another key.",
  ),
  code(
    "market",
    "-",
    "tslab.display.html(frames.arqueroHtml(olx.groupby(\"market\")\n" +
      "  .rollup({\n" +
      "    offers: op.count(), median_price: (d) => op.median(d.price), mean_price: (d) => op.mean(d.price),\n" +
      "    median_per_m2: (d) => op.median(d.price_per_meter),\n" +
      "  })));",
    { expect: "table" },
  ),
  md(
    "cities-title",
    "subslide",
    "### The largest cities by offers",
    "count is a roll-up of the number of rows per group; orderby with desc sorts the largest first. City names keep their Polish letters, repaired when the file was read.",
  ),
  code(
    "cities",
    "-",
    "tslab.display.html(frames.arqueroHtml(olx.groupby(\"city_name\", \"voivodeship\").count({ as: \"offers\" })\n" +
      "  .orderby(desc(\"offers\")), { maxRows: 8 }));",
    { expect: "table" },
  ),
  md(
    "filter-title",
    "subslide",
    "### A filter and a sort: the cheapest square metre among new three-room flats",
    "filter takes a row predicate, written as an arrow function that arquero parses; the area bound drops typing slips (on the real data an 8,200 m² three-room flat at 64 PLN per m² heads the list without it); select picks the columns to show; dedupe drops an offer listed twice (the same flat, city and price); orderby sorts ascending by default.",
  ),
  code(
    "filter",
    "-",
    "tslab.display.html(frames.arqueroHtml(olx\n" +
      "  .filter((d) => d.market === \"primary\" && d.rooms === 3 && d.area < 200)\n" +
      "  .select(\"city_name\", \"voivodeship\", \"price\", \"area\", \"floor\", \"price_per_meter\")\n" +
      "  .dedupe()\n" +
      "  .orderby(\"price_per_meter\"), { maxRows: 8 }));",
    { expect: "table" },
  ),
];

const sourceOf = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));

/** The notebook with the cells inserted after the cell calling `citiesScatter(` (earlier copies of them removed). */
export function addExploreCells(nb) {
  const cells = nb.cells.filter((c) => !String(c.id ?? "").startsWith(EXPLORE_ID));
  const at = cells.findIndex((c) => c.cell_type === "code" && sourceOf(c).includes(INSERT_AFTER));
  if (at < 0) throw new Error(`add-explore-cells: no code cell calls ${INSERT_AFTER}...) in this notebook`);
  const copies = EXPLORE_CELLS.map((c) => ({ ...structuredClone(c), source: c.source.split(/(?<=\n)/) }));
  return { ...nb, cells: [...cells.slice(0, at + 1), ...copies, ...cells.slice(at + 1)] };
}

/** The cells as Markdown, for the docs. */
export function exploreCellsMarkdown() {
  const parts = [
    "# Notebook 02: the arquero cells (issue 19)",
    "",
    "Generated by `node scripts/add-explore-cells.mjs --markdown`; `node scripts/add-explore-cells.mjs notebooks/02-experiment-1.ipynb`",
    `inserts them after the code cell that calls \`${INSERT_AFTER}...)\` (the cities chart), before \`## Preprocessing\`.`,
    "They use `data` (from `lib.loadOlx`) and `tslab` from the notebook's earlier cells; the first imports the arquero helpers from `../dist/frames`.",
    "",
  ];
  for (const c of EXPLORE_CELLS) {
    const meta = JSON.stringify(c.metadata);
    parts.push(`## ${c.cell_type} cell \`${c.id}\``, "", `metadata: \`${meta}\``, "");
    if (c.cell_type === "markdown") parts.push(...c.source.split("\n").map((l) => `> ${l}`.trimEnd()), "");
    else parts.push("```ts", c.source, "```", "");
  }
  return parts.join("\n");
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [input, output] = process.argv.slice(2);
  if (input === "--markdown") process.stdout.write(exploreCellsMarkdown());
  else if (input === undefined) {
    console.error("usage: node scripts/add-explore-cells.mjs NOTEBOOK [OUTPUT] | --markdown");
    process.exit(2);
  } else {
    const nb = JSON.parse(readFileSync(input, "utf8"));
    writeFileSync(output ?? input, `${JSON.stringify(addExploreCells(nb), null, 1)}\n`);
    console.log(`add-explore-cells: ${EXPLORE_CELLS.length} cells after the cell calling ${INSERT_AFTER}...) in ${output ?? input}`);
  }
}
