/**
 * The library as an npm package (issue 22): packed with `npm pack`, installed by npm into a new
 * project, then used from an ES module TypeScript project (`"type": "module"`) and a CommonJS one,
 * both `strict` with `skipLibCheck: false` and NodeNext resolution, type-checked with the project's
 * TypeScript 5.9. Each runs the README's library example; the optional drivers are left out, as a
 * user who did not add them has them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asCommonJs, installTarball, packLibrary, readmeLibraryExample, run, TSC, writeTsProject, type Packed } from "./consumer";
import { tempDir } from "../tracking/helpers";

const SUBPATHS = ["", "/tracking", "/tuning", "/boosting", "/server"] as const;

/** ESM and CommonJS views of every entry point: the same names and the very same values. */
const EXPORTS_CHECK = `import { createRequire } from "node:module";
import * as root from "mlflow-demo-ts";
import * as tracking from "mlflow-demo-ts/tracking";
import * as tuning from "mlflow-demo-ts/tuning";
import * as boosting from "mlflow-demo-ts/boosting";
import * as server from "mlflow-demo-ts/server";

const require = createRequire(import.meta.url);
const namespaces: Record<string, object> = {
  "mlflow-demo-ts": root,
  "mlflow-demo-ts/tracking": tracking,
  "mlflow-demo-ts/tuning": tuning,
  "mlflow-demo-ts/boosting": boosting,
  "mlflow-demo-ts/server": server,
};
const report: Record<string, { names: number; onlyCjs: string[]; onlyEsm: string[]; notSame: string[] }> = {};
for (const [spec, ns] of Object.entries(namespaces)) {
  const esm = ns as Record<string, unknown>;
  const cjs = require(spec) as Record<string, unknown>;
  const esmNames = Object.keys(esm);
  const cjsNames = Object.keys(cjs).filter((n) => n !== "__esModule");
  report[spec] = {
    names: esmNames.length,
    onlyCjs: cjsNames.filter((n) => !esmNames.includes(n)),
    onlyEsm: esmNames.filter((n) => !cjsNames.includes(n)),
    notSame: esmNames.filter((n) => esm[n] !== cjs[n]),
  };
}
// Typed uses of each entry point, so that the type-check goes through every one's declarations.
const client: tracking.MlflowClient = new tracking.MlflowClient("mlruns");
const study: Promise<tuning.Study> = tuning.createStudy({ direction: "minimize" });
const booster: boosting.XGBRegressor = new boosting.XGBRegressor({ n_estimators: 1 });
const start: typeof server.startTrackingServer = server.startTrackingServer;
void study;
console.log(JSON.stringify({ report, typed: [typeof client.getExperimentByName, typeof booster.fit, typeof start] }));
`;

/** The optional drivers are not installed: each feature that needs one names it. */
const DRIVERS_CHECK = `import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as lib from "mlflow-demo-ts";
import * as tuning from "mlflow-demo-ts/tuning";
import * as server from "mlflow-demo-ts/server";

interface Outcome { what: string; missing: boolean; packageName: string | null; installCommand: string | null; message: string }

async function attempt(what: string, use: () => unknown): Promise<Outcome> {
  try {
    await use();
    return { what, missing: false, packageName: null, installCommand: null, message: "no error" };
  } catch (err) {
    const missing = err instanceof lib.MissingDependencyError;
    return { what, missing, packageName: missing ? err.packageName : null, installCommand: missing ? err.installCommand : null, message: String(err) };
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "consumer-drivers-"));
  const outcomes = [
    await attempt("SQLite study storage", () => tuning.getStorage("sqlite:///" + join(dir, "study.db"))),
    await attempt("PostgreSQL study storage", () => tuning.getStorage("postgresql://consumer@127.0.0.1:1/none")),
    await attempt("SQLite tracking store", () => server.openSqlDriver("sqlite:///" + join(dir, "mlflow.db"))),
    await attempt("PostgreSQL tracking store", () => server.openSqlDriver("postgresql://consumer@127.0.0.1:1/none")),
    await attempt("running ONNX", () => lib.loadOnnxPredictor(new Uint8Array(0))),
    await attempt("S3 artifacts", () => lib.getArtifactRepository("s3://bucket/run/artifacts").listArtifacts()),
  ];
  const sameClass = tuning.MissingDependencyError === lib.MissingDependencyError && server.MissingDependencyError === lib.MissingDependencyError;
  console.log(JSON.stringify({ outcomes, sameClass, onnxRuntimeVersion: lib.onnxRuntimeVersion() }));
}

void main();
`;

/** Which modules requiring (or importing) one entry point loads. */
const CACHE_CHECK_CJS = `require(process.argv[1]);
console.log(JSON.stringify(Object.keys(require.cache)));
`;
const CACHE_CHECK_ESM = `import { createRequire } from "node:module";
await import(process.argv[1]);
console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
`;

/** The README example's printed lines, by label (JSON-ish values as Node prints them). */
function labelled(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let label: string | null = null;
  for (const line of stdout.split("\n")) {
    const m = /^(test RMSE|forest CV R2|best x|champion RMSE|ONNX inputs) (.*)$/.exec(line);
    if (m !== null) {
      label = m[1] as string;
      out.set(label, m[2] as string);
    } else if (label !== null && line !== "") out.set(label, `${out.get(label)}${line.trim()}`);
  }
  return out;
}

describe("the packed library in new TypeScript projects (ES module and CommonJS)", () => {
  const tmp = tempDir("package-consumer-");
  const app = join(tmp.dir, "app");
  const esm = join(app, "esm");
  const cjs = join(app, "cjs");
  let packed: Packed;
  let npmOutput: string;
  let typeCheck: { status: number | null; output: string };

  beforeAll(() => {
    const started = Date.now();
    packed = packLibrary(tmp.dir);
    for (const dir of [app, esm, cjs]) mkdirSync(dir, { recursive: true });
    npmOutput = installTarball(app, packed);
    const example = readmeLibraryExample();
    writeTsProject(esm, "module", { "main.ts": example, "exports.ts": EXPORTS_CHECK });
    writeTsProject(cjs, "commonjs", { "main.ts": asCommonJs(example), "drivers.ts": DRIVERS_CHECK });
    // One tsc -b for both projects: they share the parsed declarations.
    const r = run(process.execPath, [TSC, "-b", esm, cjs, "--verbose"], app);
    typeCheck = { status: r.status, output: `${r.stdout}${r.stderr}` };
    console.log(
      `package: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked; ` +
        `packed, installed and type-checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it("npm pack lists only what a consumer needs: built code, types, WebAssembly kernels, the sample data, README, LICENSE", () => {
    const allowed = [
      /^dist\/.+\.(js|d\.ts)$/,
      /^dist\/esm\/[a-z]+\.(mjs|d\.mts)$/,
      /^dist\/models\/boosting\/wasm\/kernels\.wasm$/,
      // The web UI's browser bundles (scripts/build-ui.mjs, issue 15), when built: scripts, chunks, styles, icon, manifest, licences.
      /^dist\/ui\/(chunks\/)?[\w.-]+\.(js|css|ico|json|txt)$/,
      /^bin\/mlflow-demo-ts\.js$/,
      /^data\/olx_sample\.csv$/,
      /^(README\.md|LICENSE|package\.json)$/,
    ];
    expect(packed.files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/models/boosting/wasm/kernels.wasm", "dist/models/boosting/histWorker.js", "data/olx_sample.csv", "LICENSE", "README.md"]) {
      expect(packed.files, needed).toContain(needed);
    }
    // Every file the exports map names is in the tarball.
    for (const target of Object.values(packed.manifest.exports)) {
      const files = typeof target === "string" ? [target] : [target.import.types, target.import.default, target.require.types, target.require.default];
      for (const f of files) expect(packed.files, f).toContain(f.replace(/^\.\//, ""));
    }
    expect(readFileSync(join(app, "node_modules", "mlflow-demo-ts", "LICENSE"), "utf8")).toContain("MIT License");
    expect(packed.manifest.license).toBe("MIT");
  });

  it("installing the tarball runs no install script (none of ours, none of a dependency's) and adds no optional driver", () => {
    expect(packed.manifest.scripts?.prepare).toBeUndefined();
    expect(packed.manifest.scripts?.install).toBeUndefined();
    expect(packed.manifest.scripts?.postinstall).toBeUndefined();
    expect(npmOutput).not.toMatch(/install-scripts|allowScripts/);
    for (const name of Object.keys(packed.manifest.peerDependencies ?? {})) {
      expect(packed.manifest.peerDependenciesMeta?.[name]?.optional, name).toBe(true);
      expect(existsSync(join(app, "node_modules", name)), `${name} is not installed`).toBe(false);
    }
    expect(Object.keys(packed.manifest.peerDependencies ?? {}).sort()).toEqual(["@aws-sdk/client-s3", "@aws-sdk/lib-storage", "arquero", "better-sqlite3", "onnxruntime-web", "pg"]);
    expect(existsSync(join(app, "node_modules", "@aws-sdk")), "no AWS SDK package at all").toBe(false);
    expect(existsSync(join(app, "node_modules", "ml-cart")), "test-only ml-cart is not installed").toBe(false);
    expect(existsSync(join(app, "node_modules", ".bin", "mlflow-demo-ts"))).toBe(true);
  });

  it("both projects type-check with the package's declarations (strict, skipLibCheck false) and nothing else installed", () => {
    expect(typeCheck.status).toBe(0);
    expect(typeCheck.output).not.toMatch(/error TS/);
    for (const dir of [esm, cjs]) expect(existsSync(join(dir, "out", "main.js"))).toBe(true);
    // The declarations came from the tarball: its .d.ts / .d.mts files are what tsc read.
    expect(readFileSync(join(esm, "out", "main.js"), "utf8")).toMatch(/from "mlflow-demo-ts"/);
    expect(readFileSync(join(cjs, "out", "main.js"), "utf8")).toMatch(/require\("mlflow-demo-ts"\)/);
  });

  let esmOutput = "";
  it("the README's example runs in the ES module project", () => {
    esmOutput = run(process.execPath, ["out/main.js"], esm).stdout;
    const printed = labelled(esmOutput);
    const testRmse = Number(printed.get("test RMSE"));
    expect(testRmse).toBeGreaterThan(0);
    // The model loaded back from ./mlruns by models:/ predicts the raw test rows as the fitted model.
    expect(Number(printed.get("champion RMSE"))).toBe(testRmse);
    const r2 = JSON.parse(printed.get("forest CV R2") ?? "null") as number[];
    expect(r2).toHaveLength(5);
    for (const v of r2) {
      expect(v).toBeGreaterThan(0.5);
      expect(v).toBeLessThan(1);
    }
    // (x - 2)^2 is least at x = 2.
    expect(Math.abs(Number(printed.get("best x")) - 2)).toBeLessThan(0.5);
    const header = readFileSync(join(app, "node_modules", "mlflow-demo-ts", "data", "olx_sample.csv"), "utf8").replace(/^\uFEFF/, "").split(/\r?\n/)[0]?.split(",") ?? [];
    const inputs = JSON.parse((printed.get("ONNX inputs") ?? "null").replace(/'/g, '"')) as string[];
    expect(inputs.length).toBeGreaterThan(0);
    for (const name of inputs) expect(header).toContain(name);
    expect(existsSync(join(esm, "mlruns"))).toBe(true);
  });

  it("the README's example runs in the CommonJS project and prints what the ES module project printed", () => {
    const out = run(process.execPath, ["out/main.js"], cjs).stdout;
    expect(esmOutput).not.toBe("");
    expect(out).toBe(esmOutput);
  });

  it("import and require get the same named exports, the very same values, from every entry point", () => {
    const { report, typed } = JSON.parse(run(process.execPath, ["out/exports.js"], esm).stdout) as {
      report: Record<string, { names: number; onlyCjs: string[]; onlyEsm: string[]; notSame: string[] }>;
      typed: string[];
    };
    expect(Object.keys(report)).toEqual(SUBPATHS.map((s) => `mlflow-demo-ts${s}`));
    for (const [spec, r] of Object.entries(report)) {
      expect(r.names, spec).toBeGreaterThan(5);
      expect({ spec, onlyCjs: r.onlyCjs, onlyEsm: r.onlyEsm, notSame: r.notSame }).toEqual({ spec, onlyCjs: [], onlyEsm: [], notSame: [] });
    }
    expect(typed).toEqual(["function", "function", "function"]);
  });

  /** The package's own modules and other packages one entry point loads, as paths inside node_modules. */
  function loadedBy(kind: "require" | "import", spec: string): string[] {
    const script = kind === "require" ? ["-e", CACHE_CHECK_CJS, "--", spec] : ["--input-type=module", "-e", CACHE_CHECK_ESM, "--", spec];
    const paths = JSON.parse(run(process.execPath, script, app).stdout) as string[];
    const prefix = join(app, "node_modules") + "/";
    return paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
  }

  it("requiring or importing mlflow-demo-ts/tracking loads neither the booster nor the server, nor any other part", () => {
    for (const kind of ["require", "import"] as const) {
      const loaded = loadedBy(kind, "mlflow-demo-ts/tracking");
      expect(loaded, kind).toContain("mlflow-demo-ts/dist/tracking/client.js");
      const foreign = loaded.filter((p) => !/^mlflow-demo-ts\/dist\/(tracking|util)\//.test(p) && p !== "mlflow-demo-ts/dist/errors.js");
      expect(foreign, kind).toEqual([]);
      expect(loaded.some((p) => p.startsWith("mlflow-demo-ts/dist/models/boosting/")), kind).toBe(false);
      expect(loaded.some((p) => p.startsWith("mlflow-demo-ts/dist/server/")), kind).toBe(false);
    }
  });

  it("mlflow-demo-ts/boosting loads no tracking, tuning or server code; mlflow-demo-ts/tuning no booster and no server", () => {
    const boosting = loadedBy("require", "mlflow-demo-ts/boosting");
    expect(boosting).toContain("mlflow-demo-ts/dist/models/boosting/booster.js");
    expect(boosting.filter((p) => /^mlflow-demo-ts\/dist\/(tracking|tracking-rest|tuning|server|integration|onnx)\//.test(p) || !p.startsWith("mlflow-demo-ts/"))).toEqual([]);
    const tuning = loadedBy("require", "mlflow-demo-ts/tuning");
    expect(tuning).toContain("mlflow-demo-ts/dist/tuning/study.js");
    expect(tuning.filter((p) => /^mlflow-demo-ts\/dist\/(models|tracking|tracking-rest|server|integration|onnx)\//.test(p) || !p.startsWith("mlflow-demo-ts/"))).toEqual([]);
  });

  it("without the optional drivers, each feature that needs one names the package and the npm install line", () => {
    const { outcomes, sameClass, onnxRuntimeVersion } = JSON.parse(run(process.execPath, ["out/drivers.js"], cjs).stdout) as {
      outcomes: Array<{ what: string; missing: boolean; packageName: string | null; installCommand: string | null; message: string }>;
      sameClass: boolean;
      onnxRuntimeVersion: string;
    };
    const peers = packed.manifest.peerDependencies ?? {};
    const want: Record<string, string> = {
      "SQLite study storage": "better-sqlite3",
      "PostgreSQL study storage": "pg",
      "SQLite tracking store": "better-sqlite3",
      "PostgreSQL tracking store": "pg",
      "running ONNX": "onnxruntime-web",
      "S3 artifacts": "@aws-sdk/client-s3",
    };
    // The S3 SDK's two packages are installed together (lib-storage needs client-s3).
    const installedWith: Record<string, string[]> = { "@aws-sdk/client-s3": ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"] };
    expect(outcomes.map((o) => o.what)).toEqual(Object.keys(want));
    for (const o of outcomes) {
      const name = want[o.what] as string;
      expect({ what: o.what, missing: o.missing, packageName: o.packageName }).toEqual({ what: o.what, missing: true, packageName: name });
      const line = `npm install ${(installedWith[name] ?? [name]).map((n) => `${n}@${peers[n]}`).join(" ")}`;
      expect(o.installCommand).toBe(line);
      expect(o.message).toContain(`add it with \`${line}\``);
    }
    expect(sameClass).toBe(true);
    // A model logged with onnx: true names the runtime it was made for, installed or not.
    expect(onnxRuntimeVersion).toBe((peers["onnxruntime-web"] ?? "").replace(/^\^/, ""));
  });

  it("the installed command starts at once (no build), exports ONNX without onnxruntime and, asked for SQLite, names better-sqlite3", () => {
    const bin = join(app, "node_modules", ".bin", "mlflow-demo-ts");
    expect(run(bin, ["--help"], app).stdout).toMatch(/export-onnx/);
    const r = run(bin, ["runs", "--help"], app);
    expect(r.stdout).toMatch(/--tracking-uri/);
    // export-onnx needs no runtime: it writes the file (an ONNX ModelProto, IR version 8) and says it is unchecked.
    const onnxFile = join(tmp.dir, "champion.onnx");
    const exported = run(bin, ["export-onnx", "models:/house_prices/1", "--out", onnxFile, "--tracking-uri", join(esm, "mlruns")], app);
    expect(exported.stdout).toContain(`not opened with onnxruntime: npm install onnxruntime-web@${packed.manifest.peerDependencies?.["onnxruntime-web"]} to check it`);
    expect([...readFileSync(onnxFile).subarray(0, 2)]).toEqual([0x08, 0x08]);
    // It must fail before it listens; killed after 60 s if it does not.
    const server = spawnSync(bin, ["server", "--backend-store-uri", `sqlite:///${join(tmp.dir, "mlflow.db")}`, "--port", "0"], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(server.status).not.toBe(0);
    expect(server.stderr).toContain(`npm install better-sqlite3@${packed.manifest.peerDependencies?.["better-sqlite3"]}`);
  });
});

