import { join, resolve } from "node:path";

/** The project's root folder (this file lives two levels below it, in src/ or dist/). */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** The bundled synthetic sample, shipped with the project. */
export const SAMPLE_OLX_CSV = join(PROJECT_ROOT, "data", "olx_sample.csv");

/**
 * Where the real OLX file lives beside a checkout (`../shared/data/`). Its licence is
 * unknown, so it is never shipped; pass it with `--csv` or `OLX_CSV`.
 */
export const REAL_OLX_CSV = resolve(PROJECT_ROOT, "..", "shared", "data", "olx_house_price_Q122.csv");
