/**
 * Searched model versions get their aliases from their registered models: MLflow's SQL
 * stores search versions without aliases, so the run page and a model's versions table would
 * show none on SQLite and PostgreSQL (the browser suites check the pages on every backend).
 */
import { describe, expect, it } from "vitest";
import { withModelAliases } from "../../src/server/ui/client/lib/aliases";
import type { ModelVersionJson, RegisteredModelJson } from "../../src/server/ui/client/lib/api";

describe("model versions' aliases", () => {
  const searched: ModelVersionJson[] = [
    { name: "olx", version: "1", aliases: [] },
    { name: "olx", version: "2" },
    { name: "olx", version: "12", aliases: [] },
    { name: "other", version: "1", aliases: ["kept"] },
  ];
  const olx: RegisteredModelJson = { name: "olx", aliases: [{ alias: "champion", version: "2" }, { alias: "challenger", version: "12" }, { alias: "old", version: "2" }] };

  it("gives each version exactly the aliases its model points at it", () => {
    expect(withModelAliases(searched, [olx]).map((v) => [v.name, v.version, v.aliases])).toEqual([
      ["olx", "1", []],
      ["olx", "2", ["champion", "old"]],
      ["olx", "12", ["challenger"]],
      ["other", "1", ["kept"]],
    ]);
  });

  it("drops an alias a version lost since it was searched (the model is the truth)", () => {
    expect(withModelAliases([{ name: "olx", version: "1", aliases: ["stale"] }], [{ name: "olx" }])[0]?.aliases).toEqual([]);
  });
});
