/**
 * Data frames for the people who rerun the notebooks (issue 19): our `Frame` and `loadOlx` /
 * `prepareOlx` results as arquero tables and back, and arquero tables as HTML for tslab and the
 * slides. arquero is loaded on first use; the rest of the library never loads it.
 */
export { arquero } from "./arquero";
export type { ArqueroModule, ArqueroTable } from "./arquero";
export { frameToArquero, arqueroToFrame } from "./convert";
export { olxArquero, preparedOlxArquero } from "./olxArquero";
export type { PreparedOlxArquero } from "./olxArquero";
export { arqueroHtml, formatTableNumber, TABLE_SCROLL_CLASS } from "./arqueroHtml";
export type { ArqueroHtmlOptions } from "./arqueroHtml";
