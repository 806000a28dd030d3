/** HTML building blocks of the web UI: escaping and the page layout. */

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A query-string-safe link path. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return esc(path + (s === "" ? "" : "?" + s));
}

/** Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS` (UTC). */
export function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** Formats a metric value compactly. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(4) : String(Number(value.toPrecision(6)));
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1f2933;background:#f7f9fb}
header{background:#0b3c5d;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:1rem 1.2rem}
table{border-collapse:collapse;background:#fff;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7} th a{color:inherit}
.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#829ab1} .error{color:#b00020;font-weight:600}
form.filter input[type=text]{width:32rem;max-width:90%}
.chart{width:100%;max-width:900px;height:360px;background:#fff;margin-bottom:1rem}
.tree li{list-style:none} .tree a{cursor:pointer}
pre.preview{background:#fff;border:1px solid #d9e2ec;padding:.5rem;max-height:20rem;overflow:auto}
`;

/** A whole page: header navigation, title and body. `scripts` are URLs loaded at the end. */
export function layout(title: string, body: string, scripts: readonly string[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · MLflow (TypeScript)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><a href="/">Experiments</a><a href="/models">Models</a><span class="muted">mlflow-demo-ts</span></header>
<main><h1>${esc(title)}</h1>
${body}
</main>
${scripts.map((s) => `<script src="${esc(s)}"></script>`).join("\n")}
</body></html>`;
}
