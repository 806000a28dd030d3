/**
 * The web UI's bundle (dist/ui, written by scripts/build-ui.mjs at `npm run build`): found
 * next to the compiled server, or in the package's dist/ when the server runs from sources
 * (tests), read once and served from memory.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** What the build wrote about the bundle. */
export interface UiManifest {
  /** A hash of every file, appended to asset URLs so browsers reload a new build. */
  readonly version: string;
  /** The id of the element that stops plotly injecting MapLibre's CSS (unused: no map traces). */
  readonly maplibreStyleId: string;
  /** Size of each file in bytes. */
  readonly bytes: Readonly<Record<string, number>>;
}

/** The bundle's folder, or null when the UI was not built. */
export function findUiDir(): string | null {
  const candidates = [join(__dirname, "..", "..", "ui")];
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "dist", "ui", "manifest.json"))) {
      candidates.push(join(dir, "dist", "ui"));
      break;
    }
    if (dirname(dir) === dir) break;
  }
  candidates.push(join(process.cwd(), "dist", "ui"));
  return candidates.find((d) => existsSync(join(d, "manifest.json"))) ?? null;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** One file of the bundle, with its gzip form for clients that take it (plotly: 5 MB, 1.5 MB gzipped). */
export interface UiAsset {
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly type: string;
}

/** The bundle, read lazily. */
export class UiAssets {
  private readonly cache = new Map<string, UiAsset | null>();
  readonly manifest: UiManifest;

  constructor(readonly dir: string) {
    this.manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as UiManifest;
  }

  /** The file at `rel` (e.g. `app.js`, `chunks/x.js`), or null when the bundle has none. */
  get(rel: string): UiAsset | null {
    if (!(rel in this.manifest.bytes)) return null; // only files the build listed: no path tricks
    let asset = this.cache.get(rel);
    if (asset === undefined) {
      const full = resolve(this.dir, rel);
      const ext = /\.[a-z]+$/.exec(rel)?.[0] ?? "";
      if (full.startsWith(resolve(this.dir) + sep) && existsSync(full)) {
        const body = readFileSync(full);
        asset = { body, gzipped: gzipSync(body, { level: 6 }), type: TYPES[ext] ?? "application/octet-stream" };
      } else asset = null;
      this.cache.set(rel, asset);
    }
    return asset;
  }
}
