/**
 * Model versions' aliases. MLflow's SQL stores answer `model-versions/search` without the
 * versions' aliases (only `model-versions/get` fills them in), its FileStore with them; a
 * registered model always lists its aliases, so pages that list searched versions take the
 * aliases from their models.
 */
import type { ModelVersionJson, RegisteredModelJson } from "./api";

/** `versions` with the aliases their models give them (a version whose model is not in `models` keeps its own). */
export function withModelAliases(versions: readonly ModelVersionJson[], models: readonly RegisteredModelJson[]): ModelVersionJson[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  return versions.map((v) => {
    const model = byName.get(v.name);
    if (model === undefined) return v;
    return { ...v, aliases: (model.aliases ?? []).filter((a) => String(a.version) === String(v.version)).map((a) => a.alias) };
  });
}
