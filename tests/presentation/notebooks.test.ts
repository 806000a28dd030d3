// The talk end to end, as its audience sees it: the committed notebooks carry no outputs and give
// every slide speaker notes; executed in fresh tslab kernels (real Jupyter) on the bundled sample,
// (and on the real data, talkReal.test.ts, when ../shared has it), they build three offline decks and their PDFs, and
// the decks' check (scripts/deck-check.mjs) walks every slide in Chromium at 1280x720: no console
// error, no network request, nothing outside its slide, every chart titled, minimum font sizes,
// speaker notes, a screenshot per slide in slides/.review/<sample|real>/ for people to look at.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { committedProblems, executeNotebook, listNotebooks, type NotebookJson } from "../../scripts/presentation-tools.mjs";
import { UI_PAGES } from "../../scripts/ui-pages.mjs";
import { talkSuite, talkToolsMissing } from "./talkSuite";

const notebooks = listNotebooks();
const readNotebook = (path: string): NotebookJson => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;

describe("committed notebooks", () => {
  it("are the three parts of the talk, each for the tslab kernel", () => {
    expect(notebooks.map((n) => basename(n).slice(0, 3))).toEqual(["01-", "02-", "03-"]);
    for (const nb of notebooks) expect((readNotebook(nb).metadata["kernelspec"] as { name: string }).name, nb).toBe("tslab");
  });

  it.each(notebooks.map((n) => [basename(n), n]))("%s carries no outputs and no execution counts", (_, path) => {
    expect(committedProblems(readNotebook(path))).toEqual([]);
  });

  it.each(notebooks.map((n) => [basename(n), n]))("%s gives every slide speaker notes in its first cell's metadata", (_, path) => {
    const cells = readNotebook(path).cells.filter((c) => !(c.metadata?.tags ?? []).includes("hide-in-slides"));
    const starts = cells.filter((c, i) => i === 0 || ["slide", "subslide"].includes(c.metadata?.slideshow?.slide_type ?? "-"));
    expect(starts.length).toBeGreaterThan(3);
    const silent = starts.filter((c) => (c.metadata?.demo?.notes ?? "").trim() === "").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source).slice(0, 60));
    expect(silent).toEqual([]);
  });

  it("show only tracking UI screenshots that scripts/ui-pages.mjs takes", () => {
    const names = new Set(UI_PAGES.map((p) => p.name));
    const shown = notebooks.flatMap((nb) => readNotebook(nb).cells.map((c) => c.metadata?.demo?.screenshot).filter((s): s is string => s !== undefined));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(names.has(s), s).toBe(true);
  });
});

const missing = talkToolsMissing;
if (missing.length > 0) console.warn(`SKIPPED building the talk on the sample: ${missing.join("; ")}`);

describe.skipIf(missing.length > 0)("the talk built on the bundled sample", () => {
  talkSuite("sample", {}, { pdf: true });

  it("reports a failing cell with its source and tslab's message, and stops there", () => {
    const work = mkdtempSync(join(tmpdir(), "broken-notebook-"));
    try {
      const cell = (id: string, source: string, expectation?: string) => ({
        cell_type: "code", id, metadata: expectation === undefined ? {} : { demo: { expect: expectation } }, source, outputs: [], execution_count: null,
      });
      const nb = {
        cells: [cell("a", "const answer: number = 42;"), cell("b", 'const broken: number = "not a number";'), cell("c", "console.log(answer);", "output")],
        metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      const path = join(work, "broken.ipynb");
      writeFileSync(path, JSON.stringify(nb));
      const r = executeNotebook(path, { timeoutSeconds: 120, outputDir: join(work, "out") });
      expect(r.ok).toBe(false);
      expect(r.report).toContain("cell 1 failed");
      expect(r.report).toContain('const broken: number = "not a number";');
      expect(r.report).toMatch(/not assignable to type 'number'/);
      expect(readNotebook(r.output).cells[2]?.outputs).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
