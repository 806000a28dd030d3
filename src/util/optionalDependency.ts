/**
 * Packages that only some users need (the PostgreSQL and SQLite drivers, onnxruntime, the S3 SDK) are optional
 * peer dependencies: installing the library does not install them, and the code that needs one
 * loads it at the point of use. When it is missing, the error names the package and the command
 * that adds it. Their types never appear in our declarations (see `docs/decisions.md`, issue 22).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** An optional package that the requested feature needs is not installed. */
export class MissingDependencyError extends Error {
  override name = "MissingDependencyError";

  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    /** What needed it, e.g. "SQLite storage (sqlite:///...)". */
    readonly purpose: string,
    /** `npm install ...` line that adds it (with the version range this library supports). */
    readonly installCommand: string,
  ) {
    super(`${purpose} needs the npm package "${packageName}", which is not installed; add it with \`${installCommand}\``);
  }
}

let peerRanges: Record<string, string> | null = null;

/** The version ranges of our optional peer dependencies, read from our own package.json. */
function peerRange(name: string): string | undefined {
  if (peerRanges === null) {
    try {
      // This file sits two folders below the package root, in src/util/ or dist/util/.
      const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { peerDependencies?: Record<string, string> };
      peerRanges = pkg.peerDependencies ?? {};
    } catch {
      peerRanges = {};
    }
  }
  return peerRanges[name];
}

/** The lowest version of an optional package that our package.json's range allows (`^1.30.0` -> `1.30.0`). */
export function declaredPeerVersion(name: string): string | undefined {
  return /\d+\.\d+\.\d+/.exec(peerRange(name) ?? "")?.[0];
}

function installSpec(name: string): string {
  const range = peerRange(name);
  if (range === undefined) return name;
  const spec = `${name}@${range}`;
  return /^[\w@/.^~*-]+$/.test(spec) ? spec : `"${spec}"`;
}

/**
 * The `npm install` line for optional packages installed together (usually one), each pinned to
 * the range our package.json declares.
 */
export function installCommandFor(...names: readonly string[]): string {
  return `npm install ${names.map(installSpec).join(" ")}`;
}

function isMissing(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  // Only the package itself being absent counts: a module missing inside an installed package is its own error.
  return e?.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.includes(`'${name}'`);
}

/**
 * Loads an optional package (CommonJS `require`, once; Node caches it). Throws
 * {@link MissingDependencyError} naming the package when it is not installed; any other
 * failure while loading it is rethrown unchanged.
 * @param name the npm package, e.g. "pg".
 * @param purpose what needs it, for the error message, e.g. "PostgreSQL storage (postgresql://...)".
 * @param installedWith the packages the feature needs together (including `name`), for the install
 *   line; by default `name` alone.
 */
export function requireOptional<T>(name: string, purpose: string, installedWith: readonly string[] = [name]): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (err) {
    if (isMissing(err, name)) throw new MissingDependencyError(name, purpose, installCommandFor(...installedWith));
    throw err;
  }
}
