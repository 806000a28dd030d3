/**
 * A consumer of the packed library, as a new user makes one: `npm pack` here, then a project that
 * depends on the tarball, installed by npm itself. Installed offline from npm's cache (which
 * `npm ci` filled with every package of this repository's lockfile): the consumer's lockfile is
 * the tarball plus the part of ours that its dependencies need, so npm resolves nothing over the
 * network.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
/** The project's TypeScript (5.9), never tslab's. */
export const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** What `npm pack --json` reports of one tarball. */
export interface Packed {
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
  /** The package.json inside the tarball. */
  readonly manifest: PackageManifest;
}

/** The fields of a package.json the consumer tests read. */
export interface PackageManifest {
  name: string;
  version: string;
  license?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts?: Record<string, string>;
}

/** Runs a command; throws with its output when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `npm pack` of this repository's current build (`npm test` has just built it), into `dir`. */
export function packLibrary(dir: string): Packed {
  // --ignore-scripts: `prepack` would clean and rebuild what `npm test` has just built.
  const r = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], ROOT);
  const [report] = JSON.parse(r.stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  if (report === undefined) throw new Error("npm pack reported no tarball");
  const tarball = join(dir, report.filename);
  const manifest = JSON.parse(run("tar", ["-xOzf", tarball, "package/package.json"], dir).stdout) as PackageManifest;
  return { tarball, size: report.size, unpackedSize: report.unpackedSize, files: report.files.map((f) => f.path), manifest };
}

interface LockEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where Node would find `name` required from the package at `from` ("" = the root), in a lockfile's tree. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const at = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (packages[at] !== undefined) return at;
    if (base === "") return null;
    const i = base.lastIndexOf("/node_modules/");
    base = i < 0 ? "" : base.slice(0, i);
  }
}

/**
 * The consumer's package-lock.json: the tarball, and from this repository's lockfile the packages
 * its dependencies need (same versions and integrity, so npm finds them in its cache).
 */
function consumerLockfile(packed: Packed, spec: string, root: Record<string, unknown>): object {
  const ours = (JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
  const packages: Record<string, LockEntry> = {};
  const queue: Array<[string, string]> = Object.keys(packed.manifest.dependencies ?? {}).map((name) => ["", name]);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [from, name] = next;
    const at = locate(ours, from, name);
    if (at === null) throw new Error(`consumer lockfile: ${name} (needed by ${from || packed.manifest.name}) is not in package-lock.json`);
    if (packages[at] !== undefined) continue;
    // The consumer installs them as production dependencies: drop our dev/optional/peer marks.
    const { dev: _dev, devOptional: _devOptional, optional: _optional, peer: _peer, ...entry } = ours[at] as LockEntry;
    // Our lockfile may omit registry URLs (npm's omit-lockfile-registry-resolved); the cache is keyed by integrity.
    entry.resolved ??= `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${entry.version}.tgz`;
    packages[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push([at, dep]);
  }
  const m = packed.manifest;
  packages[`node_modules/${m.name}`] = {
    version: m.version,
    resolved: spec,
    integrity: `sha512-${createHash("sha512").update(readFileSync(packed.tarball)).digest("base64")}`,
    license: m.license,
    dependencies: m.dependencies,
    bin: m.bin,
    engines: m.engines,
    peerDependencies: m.peerDependencies,
    peerDependenciesMeta: m.peerDependenciesMeta,
  };
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
  return { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { "": root, ...sorted } };
}

/**
 * Makes `dir` a project that depends on the tarball (copied in) and runs `npm ci` there, offline;
 * if npm's cache lacks a package, once more from the registry (said on the console). Returns npm's
 * output (its warnings included).
 */
export function installTarball(dir: string, packed: Packed): string {
  writeFileSync(join(dir, basename(packed.tarball)), readFileSync(packed.tarball));
  const spec = `file:${basename(packed.tarball)}`;
  const root = { name: "consumer", version: "1.0.0", private: true, dependencies: { [packed.manifest.name]: spec } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(root, null, 2) + "\n");
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify(consumerLockfile(packed, spec, root), null, 2) + "\n");
  const args = ["ci", "--no-audit", "--no-fund", "--loglevel=warn"];
  let r = spawnSync("npm", [...args, "--offline"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
    console.log("package: npm's cache lacks a dependency of the consumer; installing it from the registry");
    r = spawnSync("npm", [...args, "--prefer-offline"], { cwd: dir, encoding: "utf8" });
  }
  if (r.status !== 0) throw new Error(`npm ci of the tarball failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

/** The first TypeScript block of the README's "## The library" section: the example a consumer runs. */
export function readmeLibraryExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## The library\n");
  if (start < 0) throw new Error('README.md has no "## The library" section');
  const end = readme.indexOf("\n## ", start + 1);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start, end < 0 ? undefined : end));
  if (block === null) throw new Error('README.md\'s "## The library" section has no ```ts block');
  return block[1] as string;
}

/**
 * The README's example as a CommonJS module: CommonJS has no top-level `await`, so the statements
 * run inside an async function, as the README says; the imports stay at the top.
 */
export function asCommonJs(example: string): string {
  const lines = example.split("\n");
  const imports = lines.filter((l) => l.startsWith("import "));
  const body = lines.filter((l) => !l.startsWith("import "));
  const indented = body.map((l) => (l === "" ? l : `  ${l}`)).join("\n");
  return `${imports.join("\n")}\n\nasync function main(): Promise<void> {\n${indented}\n}\n\nmain().catch((err: unknown) => {\n  console.error(err);\n  process.exitCode = 1;\n});\n`;
}

/** A TypeScript project in `dir`: ES module or CommonJS, strict, `skipLibCheck: false`, NodeNext. */
export function writeTsProject(dir: string, type: "module" | "commonjs", files: Record<string, string>): void {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${type}`, version: "1.0.0", private: true, type }, null, 2) + "\n");
  const compilerOptions = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, outDir: "out" };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: Object.keys(files) }, null, 2) + "\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}
