/**
 * Dependencies are exactly what runs (issue 22): every package the built code loads is a
 * dependency, every dependency is loaded, and the packages loaded only when a feature needs them
 * (`requireOptional`) are optional peer dependencies, installed here as devDependencies so that
 * `npm ci` gives the tests everything. A missing optional package is named with its install line.
 */
import { builtinModules } from "node:module";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installCommandFor, MissingDependencyError, requireOptional } from "../../src/util/optionalDependency";
import { tempDir } from "../tracking/helpers";

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const BUILTIN = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Dependencies that hold only types: our `.d.ts` files name Node's types (Buffer, http.Server, ...). */
const TYPES_ONLY = new Set(["@types/node"]);

/**
 * Files under `dir` whose names match `pattern`. `dist/ui` holds the web UI's browser bundles,
 * built with their packages inlined (devDependencies): they load no package, so they are not read.
 */
function builtFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (p === join(ROOT, "dist", "ui")) return [];
    return statSync(p).isDirectory() ? builtFiles(p, pattern) : pattern.test(name) ? [p] : [];
  });
}
const jsFiles = (dir: string): string[] => builtFiles(dir, /\.(c|m)?js$/);
const declarationFiles = (dir: string): string[] => builtFiles(dir, /\.d\.m?ts$/);

/** The npm package of a module specifier ("@scope/name/x" -> "@scope/name", "name/x" -> "name"). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** Bare packages the built code loads: statically (require, require.resolve) and through requireOptional. */
function loadedPackages(): { static: Map<string, string[]>; optional: Map<string, string[]> } {
  const found = { static: new Map<string, string[]>(), optional: new Map<string, string[]>() };
  const note = (map: Map<string, string[]>, name: string, file: string): void => {
    map.set(name, [...(map.get(name) ?? []), file.slice(ROOT.length + 1)]);
  };
  for (const file of jsFiles(join(ROOT, "dist"))) {
    const js = readFileSync(file, "utf8");
    for (const m of js.matchAll(/\brequire(?:\.resolve)?\("([^"]+)"\)|\bfrom "([^"]+)"|\bimport\("([^"]+)"\)/g)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      if (spec.startsWith(".") || BUILTIN.has(spec) || BUILTIN.has(spec.split("/")[0] as string)) continue;
      note(found.static, packageOf(spec), file);
    }
    for (const m of js.matchAll(/requireOptional\)?\("([^"]+)"/g)) note(found.optional, m[1] as string, file);
  }
  return found;
}

describe("package.json's dependencies are what the built code loads", () => {
  const loaded = loadedPackages();

  it("every package the built code loads at once is a dependency (not a devDependency or an optional peer)", () => {
    const undeclared = [...loaded.static].filter(([name]) => pkg.dependencies[name] === undefined).map(([name, files]) => `${name} (${files.join(", ")})`);
    expect(undeclared).toEqual([]);
  });

  it("every dependency is loaded by the built code (or holds types our declarations name)", () => {
    expect(loaded.static.size).toBeGreaterThan(0);
    const unused = Object.keys(pkg.dependencies).filter((name) => !loaded.static.has(name) && !TYPES_ONLY.has(name));
    expect(unused).toEqual([]);
    // @types/node earns its place: our declarations name Node's types.
    const nodeTypes = declarationFiles(join(ROOT, "dist")).filter((f) => /\bBuffer\b|from "node:/.test(readFileSync(f, "utf8")));
    expect(nodeTypes.length).toBeGreaterThan(0);
  });

  it("no declaration names a package that is not a dependency (drivers and the S3 SDK stay behind our own interfaces)", () => {
    const files = declarationFiles(join(ROOT, "dist"));
    expect(files.length).toBeGreaterThan(100);
    const foreign: string[] = [];
    for (const file of files) {
      const dts = readFileSync(file, "utf8");
      for (const m of dts.matchAll(/\bfrom "([^"]+)"|\bimport\("([^"]+)"\)|\brequire\("([^"]+)"\)|^\s*import "([^"]+)"|reference types="([^"]+)"/gm)) {
        const spec = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]) as string;
        if (spec.startsWith(".") || BUILTIN.has(spec) || BUILTIN.has(spec.split("/")[0] as string) || spec === "node") continue;
        const rel = file.slice(ROOT.length + 1);
        // The frames entry exists to hand out arquero tables: its users install arquero, the main entry never names it.
        if (rel.startsWith("dist/frames/") && packageOf(spec) === "arquero" && pkg.peerDependencies.arquero !== undefined) continue;
        if (pkg.dependencies[packageOf(spec)] === undefined) foreign.push(`${spec} (${rel})`);
      }
    }
    expect(foreign).toEqual([]);
  });

  it("the packages loaded when a feature needs them are optional peer dependencies, installed here for the tests", () => {
    expect([...loaded.optional.keys()].sort()).toEqual(Object.keys(pkg.peerDependencies).sort());
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.peerDependenciesMeta[name]?.optional, `${name} is an optional peer`).toBe(true);
      expect(pkg.devDependencies[name], `${name} is a devDependency, so npm ci installs it for the tests`).toBeDefined();
      expect(pkg.dependencies[name], `${name} is not also a dependency`).toBeUndefined();
    }
  });
});

describe("requireOptional", () => {
  const tmp = tempDir("optional-dep-");
  afterAll(() => tmp.cleanup());

  it("loads an installed package", () => {
    expect(requireOptional<typeof import("pg")>("pg", "a test").Pool).toBeTypeOf("function");
  });

  it("names a missing package, what needed it and the npm install line with our declared range", () => {
    const name = "mlflow-demo-ts-no-such-package";
    expect(() => requireOptional(name, "The frobnicator")).toThrow(MissingDependencyError);
    expect(() => requireOptional(name, "The frobnicator")).toThrow(`The frobnicator needs the npm package "${name}", which is not installed; add it with \`npm install ${name}\``);
    for (const [peer, range] of Object.entries(pkg.peerDependencies)) expect(installCommandFor(peer)).toBe(`npm install ${peer}@${range}`);
    const [s3, storage] = ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"];
    expect(installCommandFor(s3 as string, storage as string)).toBe(`npm install ${s3}@${pkg.peerDependencies[s3 as string]} ${storage}@${pkg.peerDependencies[storage as string]}`);
  });

  it("rethrows a module missing inside an installed package as it is (not as the package missing)", () => {
    const dir = join(tmp.dir, "node_modules", "broken-package");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), 'require("left-out-of-the-install");\n');
    let thrown: unknown;
    try {
      requireOptional(dir, "A test");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(MissingDependencyError);
    expect((thrown as Error).message).toContain("left-out-of-the-install");
  });
});
