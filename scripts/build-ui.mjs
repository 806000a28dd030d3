// Bundles the web UI (src/server/ui/client, Preact + AG Grid Community + plotly.js's strict
// build) into dist/ui with esbuild. Run by `npm run build` after tsc. Writes:
//   app.js (+ chunks/: plotly is a chunk of its own, loaded only by pages with charts),
//   app.css (our styles and AG Grid's legacy CSS theme), plotly.css (plotly's global rules,
//   which plotly would otherwise inject as an inline <style> our CSP refuses), favicon.ico,
//   and manifest.json, which the server reads to write the page shell.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodePng } from "./png.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "ui");
const client = join(root, "src", "server", "ui", "client");
const plotlyFile = join(root, "node_modules", "plotly.js-strict-dist-min", "plotly-strict.min.js");

function fail(message) {
  console.error(`build-ui: ${message}`);
  process.exit(1);
}

/** The object literal that starts at `start` in minified JS (strings may hold braces). */
function objectLiteralAt(src, start) {
  let depth = 0;
  let quote = null;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return src.slice(start, i + 1);
  }
  fail("unterminated object literal in plotly's bundle");
}

/**
 * plotly.js injects its global CSS rules (build/plotcss.js) with an inline <style> unless an
 * element with id `plotly.js-style-global` and class `no-inline-styles` exists: we write
 * the same rules to a stylesheet the page links with that id. It also injects MapLibre's CSS
 * (for map traces, unused here) unless an element with a given id exists: we note that id.
 */
function plotlyStyles() {
  const src = readFileSync(plotlyFile, "utf8");
  const start = src.indexOf('{"X,X div":');
  if (start < 0) fail("plotly's global CSS rules were not found in its bundle (plotly.js changed?)");
  const literal = objectLiteralAt(src, start);
  const after = src.slice(start + literal.length, start + literal.length + 200);
  if (!after.includes('.replace(/X/g,".js-plotly-plot .plotly").replace(/Y/g,".plotly-notifier")')) fail("plotly's CSS selector rewriting changed");
  const rules = new Function(`return ${literal}`)();
  let css = "";
  for (const [selector, body] of Object.entries(rules)) {
    css += `${selector.replace(/^,/, " ,").replace(/X/g, ".js-plotly-plot .plotly").replace(/Y/g, ".plotly-notifier")}{${body}}\n`;
  }
  const maplibre = /document\.getElementById\("([0-9a-f]{64})"\)\)\{var \w=document\.createElement\("style"\)/.exec(src);
  if (maplibre === null) fail("plotly's MapLibre style guard was not found in its bundle");
  return { css, maplibreStyleId: maplibre[1] };
}

/** A 32x32 ICO (one 32-bit PNG image): a blue tile with three white bars, like a chart. */
function favicon() {
  const size = 32;
  const bars = [[7, 12, 18], [14, 19, 10], [21, 26, 22]]; // [x0, x1, top]
  const png = encodePng(size, size, (x, y) => {
    const corner = Math.min(x, size - 1 - x) + Math.min(y, size - 1 - y) < 3;
    const bar = bars.some(([x0, x1, top]) => x >= x0 && x < x1 && y >= top && y < 27);
    return corner ? [0, 0, 0, 0] : bar ? [255, 255, 255, 255] : [1, 148, 226, 255];
  });
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header.set([size, size, 0, 0], 6);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, png]);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: join(client, "main.tsx") },
  outdir: out,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});
if (result.errors.length > 0) fail("esbuild failed");
const css = [
  readFileSync(join(root, "node_modules", "ag-grid-community", "styles", "ag-grid.min.css"), "utf8"),
  readFileSync(join(root, "node_modules", "ag-grid-community", "styles", "ag-theme-quartz-no-font.min.css"), "utf8"),
  readFileSync(join(root, "node_modules", "ag-grid-community", "styles", "agGridQuartzFont.min.css"), "utf8"),
  readFileSync(join(client, "app.css"), "utf8"),
].join("\n");
writeFileSync(join(out, "app.css"), css);
const { css: plotlyCss, maplibreStyleId } = plotlyStyles();
writeFileSync(join(out, "plotly.css"), plotlyCss);
writeFileSync(join(out, "favicon.ico"), favicon());

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p.slice(out.length + 1));
  }
};
walk(out);
const version = createHash("sha256");
for (const f of files.sort()) version.update(readFileSync(join(out, f)));
const bytes = Object.fromEntries(files.map((f) => [f, statSync(join(out, f)).size]));
writeFileSync(join(out, "manifest.json"), JSON.stringify({ version: version.digest("hex").slice(0, 12), maplibreStyleId, bytes }, null, 1) + "\n");
const total = Object.values(bytes).reduce((a, b) => a + b, 0);
const plotlyChunk = files.find((f) => f.startsWith("chunks/") && bytes[f] > 2_000_000);
console.log(`build-ui: dist/ui ${(total / 1e6).toFixed(2)} MB (app.js ${(bytes["app.js"] / 1e3).toFixed(0)} kB, plotly chunk ${plotlyChunk === undefined ? "?" : (bytes[plotlyChunk] / 1e6).toFixed(2) + " MB"})`);
