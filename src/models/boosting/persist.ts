import { readFileSync, writeFileSync } from "node:fs";
import { ValueError } from "../../errors";
import { decodeUbjson } from "../../util/ubjson";
import { Booster, BoosterJSON } from "./booster";
import { fromXGBoostJSON, xgboostJsonText } from "./xgboostJson";

/** Saves a booster: `format` "ours" (default) or "xgboost" (XGBoost's JSON model). */
export function saveModel(booster: Booster, path: string, format: "ours" | "xgboost" = "ours"): void {
  writeFileSync(path, format === "xgboost" ? xgboostJsonText(booster) : JSON.stringify(booster.toJSON()));
}

/**
 * Loads a booster saved by {@link saveModel} in either format (recognised by its content), or
 * an XGBoost model saved as UBJSON (a `.ubj` file, `Booster.save_model("m.ubj")`).
 */
export function loadModel(path: string): Booster {
  let json: unknown;
  try {
    json = path.endsWith(".ubj") ? decodeUbjson(readFileSync(path), path) : JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ValueError(`loadModel: cannot read ${path.endsWith(".ubj") ? "UBJSON" : "JSON"} from ${path}: ${(e as Error).message}`);
  }
  if (json !== null && typeof json === "object" && "learner" in json) return fromXGBoostJSON(json);
  return Booster.fromJSON(json as BoosterJSON);
}
