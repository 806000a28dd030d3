// Types of scripts/add-explore-cells.mjs, for the tests that run its cells.

/** One notebook cell as the script writes it (`source` as one string). */
export interface ExploreCell {
  cell_type: "markdown" | "code";
  id: string;
  metadata: { slideshow: { slide_type: string }; demo?: { expect?: string; notes?: string } };
  source: string;
  outputs?: unknown[];
  execution_count?: null;
}

export const EXPLORE_ID: string;
export const INSERT_AFTER: string;
export const EXPLORE_CELLS: ExploreCell[];
export function addExploreCells<T extends { cells: Array<{ id?: string; cell_type: string; source: string | string[] }> }>(nb: T): T;
export function exploreCellsMarkdown(): string;
