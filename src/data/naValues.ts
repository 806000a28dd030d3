/** Cells that pandas reads as missing by default. */
const NA_VALUES = new Set(["", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null", "#N/A", "<NA>", "None"]);

/** True for a cell that pandas reads as missing. */
export function isNa(cell: string): boolean {
  return cell.length <= 4 && NA_VALUES.has(cell);
}
