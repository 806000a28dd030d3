/**
 * Data frames for the people who rerun the notebooks (issue 19): our `Frame` and `loadOlx` /
 * `prepareOlx` results as arquero tables and back, and arquero tables as HTML for tslab and the
 * slides. arquero is loaded on first use.
 *
 * This is an entry of its own (`dist/frames`, `import * as frames from "../dist/frames"` in a
 * notebook), not re-exported by the library's main entry: its declarations name arquero's types,
 * and arquero 8's declarations do not compile with `skipLibCheck: false`, so the main entry's
 * types stay free of them (see docs/decisions.md, issue 19).
 */
export { arquero } from "./arquero";
export type { ArqueroModule, ArqueroTable } from "./arquero";
export { frameToArquero, arqueroToFrame } from "./convert";
export { olxArquero, preparedOlxArquero } from "./olxArquero";
export type { PreparedOlxArquero } from "./olxArquero";
export { arqueroHtml, formatTableNumber, TABLE_SCROLL_CLASS } from "./arqueroHtml";
export type { ArqueroHtmlOptions } from "./arqueroHtml";
