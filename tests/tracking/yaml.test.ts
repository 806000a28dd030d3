import { describe, expect, it } from "vitest";
import { YamlSyntaxError, dumpYaml, loadYaml, type YamlValue } from "../../src/tracking/yaml";
import { Random } from "../../src/util/random";
import { HAS_PYYAML, runPython } from "./helpers";

// Strings chosen to hit each of PyYAML's quoting rules and its folding at 80 columns.
const TRICKY: string[] = [
  "", "plain", "123", "0123", "0x1F", "1_000", "-5", "+7", "1.5", "1e5", "1.0e+5", ".5", ".inf", "-.inf", ".nan", "NaN",
  "true", "True", "false", "yes", "No", "on", "OFF", "y", "null", "Null", "~", "None", "2024-01-31", "2024-01-31 10:20:30.123456",
  "12:30", "1:20:30", "a: b", "a:b", "key:", "- item", "-item", "#comment", "a #b", "a#b", "? q", "?q", ": x", "[x]", "{x}",
  "x, y", "x,y", "&anchor", "*alias", "!tag", "|block", ">fold", "'single'", '"double"', "%pct", "@at", "`tick", " lead", "trail ",
  "two  spaces", "tab\there", "new\nline", "trail\n", "\nlead", "carriage\rreturn", "bell\x07", "del\x7f", "nbsp\u00a0x", "zaż\u00f3łć",
  "emoji 😀 ok", "bom\ufeffx", "line\u2028sep", "it's", "quote ' and  space", "---", "...", "--- x", "a---", "=", "<<", "file:///tmp/a b/c",
  "x".repeat(120), ("word ".repeat(30)).trim(), ("longer words here ".repeat(12)).trim(), "a " + "b".repeat(100) + " c",
  ("spaced  out  ".repeat(10)).trim(), ("quote'd word ".repeat(12)).trim(), ("tab\tword ".repeat(12)).trim(), "1.0.0", "2.17.2",
  "0o17", "0b101", "-0", "+.5", "1__0", "190:20:30", "Nope", "ON!", "nul", "TRUE", "FaLsE",
];

function randomString(rng: Random): string {
  const alphabet = [" ", " ", "a", "b", "Z", "0", "1", ".", "-", ":", "#", "'", '"', "\n", "\t", "é", "_", "/", ",", "[", "?", "!", "%"];
  const n = rng.int(90);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

function corpus(): Array<{ [key: string]: YamlValue }> {
  const rng = new Random(7);
  const docs: Array<{ [key: string]: YamlValue }> = [];
  // Keys are simple keys (single line, under 128 characters), as every key MLflow writes.
  for (const s of TRICKY) docs.push({ value: s, [/^[^\n\r\x85\u2028\u2029]{1,100}$/.test(s) ? s : "other"]: "k" });
  for (let i = 0; i < 300; i++) docs.push({ description: randomString(rng), name: randomString(rng) || "n" });
  docs.push({
    aliases: { champion: "1", "2024": "3", true: "4" },
    creation_timestamp: 1795682134750,
    description: null,
    tags: [],
    empty: {},
    list: ["champion", "1", "", "a b"],
    nested: { inner: { deeper: "x" }, list: ["a"] },
    flag: true,
    float: 0.5,
  });
  return docs;
}

describe("dumpYaml", () => {
  it("writes MLflow's experiment meta.yaml exactly as in the 2.17 reference", () => {
    const text = dumpYaml({
      artifact_location: "file:///ABSOLUTE/PATH/mlruns/958166322248970843",
      creation_time: 1795682134223,
      experiment_id: "958166322248970843",
      last_update_time: 1795682134223,
      lifecycle_stage: "active",
      name: "fs-exp",
    });
    expect(text).toBe(
      "artifact_location: file:///ABSOLUTE/PATH/mlruns/958166322248970843\ncreation_time: 1795682134223\n" +
        "experiment_id: '958166322248970843'\nlast_update_time: 1795682134223\nlifecycle_stage: active\nname: fs-exp\n",
    );
  });

  it("writes a registered model's aliases mapping and a version's aliases list as the reference shows", () => {
    expect(dumpYaml({ aliases: { champion: "1" }, name: "fs-model" })).toBe("aliases:\n  champion: '1'\nname: fs-model\n");
    expect(dumpYaml({ aliases: ["champion"], run_link: null, version: 1 })).toBe("aliases:\n- champion\nrun_link: null\nversion: 1\n");
    expect(dumpYaml({ entry_point_name: "", tags: [] })).toBe("entry_point_name: ''\ntags: []\n");
  });

  describe.skipIf(!HAS_PYYAML)("against PyYAML safe_dump (python3-yaml)", () => {
    const docs = corpus();
    const script =
      "import sys, json, yaml\n" +
      "docs = json.load(sys.stdin)\n" +
      "out = [yaml.safe_dump(d, default_flow_style=False, allow_unicode=True) for d in docs]\n" +
      "json.dump(out, sys.stdout)\n";
    const expected = runPython<string[]>(script, docs);

    it("produces byte-identical output for every document of the corpus", () => {
      const mismatches = docs
        .map((d, i) => ({ doc: d, ours: dumpYaml(d), theirs: expected[i] as string }))
        .filter((x) => x.ours !== x.theirs);
      expect(mismatches.slice(0, 3)).toEqual([]);
      expect(docs.length).toBeGreaterThan(390);
    });

    it("reads back what PyYAML wrote as the same values PyYAML reads", () => {
      const loaded = runPython<YamlValue[]>(
        "import sys, json, yaml\nprint(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)]))",
        expected,
      );
      for (let i = 0; i < expected.length; i++) expect(loadYaml(expected[i] as string)).toEqual(loaded[i]);
    });
  });

  it("round-trips every corpus document through loadYaml", () => {
    for (const doc of corpus()) expect(loadYaml(dumpYaml(doc))).toEqual(doc);
  });

  it("names the line of malformed input", () => {
    expect(() => loadYaml("a: 1\nb: 'unterminated\n")).toThrow(YamlSyntaxError);
    expect(() => loadYaml("a: 1\nb: 'unterminated\n")).toThrow(/line 2/);
    expect(() => loadYaml("a: 1\n   b: 2\n")).toThrow(/YAML line/);
    // A stray colon inside a flow collection used to loop forever (and exhaust memory).
    expect(() => loadYaml("flavors: [x\n  - : :\n")).toThrow(/YAML line 2: unexpected/);
  });
});
