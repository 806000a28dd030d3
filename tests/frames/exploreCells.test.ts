// scripts/add-explore-cells.mjs: notebook 02's arquero cells go after the cities chart, once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addExploreCells, EXPLORE_CELLS, EXPLORE_ID, INSERT_AFTER } from "../../scripts/add-explore-cells.mjs";

type Cell = { id?: string; cell_type: string; source: string | string[] };
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);

describe("add-explore-cells", () => {
  const committed = JSON.parse(readFileSync(join(__dirname, "..", "..", "notebooks", "02-experiment-1.ipynb"), "utf8")) as { cells: Cell[] };
  // The notebook as it was before the script ran: the committed one without the cells.
  const nb = { ...committed, cells: committed.cells.filter((c) => !String(c.id).startsWith(EXPLORE_ID)) };

  it("the committed notebook 02 holds the cells exactly as the script writes them (edit the script, then rerun it)", () => {
    expect(committed.cells.filter((c) => String(c.id).startsWith(EXPLORE_ID)).map((c) => c.id)).toEqual(EXPLORE_CELLS.map((c) => c.id));
    expect(addExploreCells(committed)).toEqual(committed);
  });

  it("inserts the cells right after the cell calling citiesScatter(, as nbformat source lines, and a second run replaces them", () => {
    const once = addExploreCells(nb);
    const at = nb.cells.findIndex((c) => c.cell_type === "code" && text(c).includes(INSERT_AFTER));
    expect(at).toBeGreaterThan(0);
    expect(once.cells).toHaveLength(nb.cells.length + EXPLORE_CELLS.length);
    expect(once.cells.slice(at + 1, at + 1 + EXPLORE_CELLS.length).map((c) => c.id)).toEqual(EXPLORE_CELLS.map((c) => c.id));
    expect(once.cells.slice(at + 1 + EXPLORE_CELLS.length)).toEqual(nb.cells.slice(at + 1));
    expect(once.cells.slice(at + 1, at + 1 + EXPLORE_CELLS.length).map(text)).toEqual(EXPLORE_CELLS.map((c) => c.source));
    expect(new Set(once.cells.map((c) => c.id)).size).toBe(once.cells.length);
    expect(addExploreCells(once)).toEqual(once);
    expect(nb.cells.some((c) => String(c.id).startsWith(EXPLORE_ID))).toBe(false);
  });

  it("names what it looked for when the notebook has no cities chart", () => {
    expect(() => addExploreCells({ cells: [{ cell_type: "code", source: "1 + 1" }] })).toThrow(/no code cell calls citiesScatter\(/);
  });
});
