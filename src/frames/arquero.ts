/**
 * arquero, the data-frame library for people exploring the data in the notebooks (issue 19),
 * loaded on first use: the core library (load, clean, preprocess, models) never loads it.
 */
import type * as Arquero from "arquero";
import type { ColumnTable } from "arquero";
import { requireOptional } from "../util/optionalDependency";

/** The arquero module (`import * as aq from "arquero"`). */
export type ArqueroModule = typeof Arquero;

/** An arquero table, as the conversions and {@link arqueroHtml} take and return it. */
export type ArqueroTable = ColumnTable;

let loaded: ArqueroModule | undefined;

/**
 * The arquero module, loaded on the first call. arquero 8 is an ES module: loading it from our
 * CommonJS build needs Node 20.19 or later (`require` of ES modules); the error says so on older
 * Node, and names the install line when the package is absent.
 */
export function arquero(): ArqueroModule {
  if (loaded === undefined) loaded = loadArquero();
  return loaded;
}

function loadArquero(): ArqueroModule {
  try {
    return requireOptional<ArqueroModule>("arquero", "The notebooks' data-frame helpers (dist/frames)");
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === "ERR_REQUIRE_ESM") {
      throw new Error(`arquero is an ES module; loading it from CommonJS needs Node 20.19 or later (this is Node ${process.versions.node})`);
    }
    throw err;
  }
}
