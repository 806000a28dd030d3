/**
 * The web UI (`mlflow ui` in miniature), rendered on the server from the stores:
 * experiments; a runs table with params and metrics as columns, MLflow filter strings
 * and sorting; a run page with params, tags, metric charts and an artifact browser;
 * run comparison (parallel coordinates, metric overlays); registered models.
 * Plotly is served from node_modules, so the UI works offline.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Run } from "../../tracking/entities";
import { MlflowError } from "../../tracking/errors";
import type { PageHandler } from "../app";
import type { HandlerContext } from "../endpointContract";
import { directSegmentsOf } from "../handlers";
import { HttpError, sendText } from "../httpUtil";
import { safeSegments } from "../artifactStore";
import type { ArtifactStorage } from "../artifactStorage";
import { CLIENT_SCRIPT } from "./clientScript";
import { esc, fmt, href, layout, when } from "./html";

let plotlyCache: Buffer | null = null;

function plotlyBundle(): Buffer {
  if (plotlyCache === null) {
    const path = join(dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
    plotlyCache = readFileSync(path);
  }
  return plotlyCache;
}

function sendHtml(res: ServerResponse, html: string, status = 200): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(html);
}

function errorBox(err: unknown): string {
  return `<p class="error" id="error">${esc(err instanceof Error ? err.message : String(err))}</p>`;
}

async function experimentsPage(ctx: HandlerContext): Promise<string> {
  const experiments = (await ctx.tracking.searchExperiments({ maxResults: 50_000 })).items.filter((e) => ctx.canRead(e.experimentId));
  const rows = experiments
    .map((e) => `<tr><td><a href="${href(`/experiments/${e.experimentId}`)}">${esc(e.name)}</a></td><td>${esc(e.experimentId)}</td><td>${esc(when(e.creationTime))}</td><td class="muted">${esc(e.artifactLocation)}</td></tr>`)
    .join("\n");
  return layout("Experiments", `<table id="experiments"><thead><tr><th>Name</th><th>ID</th><th>Created</th><th>Artifact location</th></tr></thead><tbody>${rows}</tbody></table>`);
}

function sortLink(experimentId: string, filter: string, current: string, key: string, label: string): string {
  const asc = `${key} ASC`;
  const next = current === asc ? `${key} DESC` : asc;
  const arrow = current === asc ? " ▲" : current === `${key} DESC` ? " ▼" : "";
  return `<a href="${href(`/experiments/${experimentId}`, { filter, order_by: next })}">${esc(label)}${arrow}</a>`;
}

async function runsPage(ctx: HandlerContext, experimentId: string, url: URL): Promise<string> {
  const experiment = await ctx.tracking.getExperiment(experimentId);
  const filter = url.searchParams.get("filter") ?? "";
  const orderBy = url.searchParams.get("order_by") ?? "";
  let runs: Run[] = [];
  let problem = "";
  try {
    runs = (await ctx.tracking.searchRuns({ experimentIds: [experimentId], filterString: filter, orderBy: orderBy === "" ? [] : [orderBy], maxResults: 5000 })).items;
  } catch (err) {
    if (!(err instanceof MlflowError)) throw err;
    problem = errorBox(err);
  }
  const paramKeys = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  const q = (type: string, key: string): string => `${type}.\`${key}\``;
  const head = [
    "<th></th>",
    `<th>${sortLink(experimentId, filter, orderBy, "attributes.run_name", "Run")}</th>`,
    `<th>${sortLink(experimentId, filter, orderBy, "attributes.status", "Status")}</th>`,
    `<th>${sortLink(experimentId, filter, orderBy, "attributes.start_time", "Started")}</th>`,
    ...paramKeys.map((k) => `<th class="param">${sortLink(experimentId, filter, orderBy, q("params", k), k)}</th>`),
    ...metricKeys.map((k) => `<th class="metric">${sortLink(experimentId, filter, orderBy, q("metrics", k), k)}</th>`),
  ].join("");
  const body = runs
    .map((r) => {
      const params = new Map(r.data.params.map((p) => [p.key, p.value]));
      const metrics = new Map(r.data.metrics.map((m) => [m.key, m.value]));
      return `<tr data-run-id="${esc(r.info.runId)}"><td><input type="checkbox" name="compare" value="${esc(r.info.runId)}"></td>
<td><a href="${href(`/runs/${r.info.runId}`)}">${esc(r.info.runName || r.info.runId)}</a></td><td>${esc(r.info.status)}</td><td>${esc(when(r.info.startTime))}</td>
${paramKeys.map((k) => `<td>${esc(params.get(k) ?? "")}</td>`).join("")}${metricKeys.map((k) => `<td class="num">${metrics.has(k) ? esc(fmt(metrics.get(k) as number)) : ""}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return layout(
    `Experiment: ${experiment.name}`,
    `<form class="filter" method="get"><input type="text" name="filter" value="${esc(filter)}" placeholder="metrics.rmse < 5 and params.model = 'Ridge'">
<input type="hidden" name="order_by" value="${esc(orderBy)}"><button type="submit">Search</button></form>
${problem}
<p><span id="run-count">${runs.length}</span> run(s). <a id="compare-link" href="/compare?runs=">Compare 0 run(s)</a></p>
<table id="runs"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
    ["/static/ui.js"],
  );
}

function kvTable(id: string, items: ReadonlyArray<{ key: string; value: string }>): string {
  if (items.length === 0) return `<p class="muted" id="${id}">None</p>`;
  return `<table id="${id}"><tbody>${items.map((t) => `<tr><th>${esc(t.key)}</th><td>${esc(t.value)}</td></tr>`).join("")}</tbody></table>`;
}

async function runPage(ctx: HandlerContext, runId: string): Promise<string> {
  const run = await ctx.tracking.getRun(runId);
  const i = run.info;
  const metrics = [...run.data.metrics].sort((a, b) => (a.key < b.key ? -1 : 1));
  return layout(
    `Run: ${i.runName || i.runId}`,
    `<p>Run ID <code id="run-id">${esc(i.runId)}</code> · experiment <a href="${href(`/experiments/${i.experimentId}`)}">${esc(i.experimentId)}</a> · status <b id="status">${esc(i.status)}</b> · started ${esc(when(i.startTime))}${i.endTime === null ? "" : ` · ended ${esc(when(i.endTime))}`}</p>
<h2>Parameters</h2>${kvTable("params", run.data.params)}
<h2>Metrics</h2>${kvTable("metrics", metrics.map((m) => ({ key: m.key, value: fmt(m.value) })))}
<div id="charts" data-run-charts data-run-id="${esc(i.runId)}" data-metrics="${esc(JSON.stringify(metrics.map((m) => m.key)))}"></div>
<h2>Tags</h2>${kvTable("tags", run.data.tags.filter((t) => !t.key.startsWith("mlflow.log-model")))}
<h2>Artifacts</h2><p class="muted">${esc(i.artifactUri)}</p>
<div id="artifacts" data-artifacts data-run-id="${esc(i.runId)}"></div><pre class="preview" id="artifact-preview"></pre>`,
    ["/static/plotly.min.js", "/static/ui.js"],
  );
}

async function comparePage(ctx: HandlerContext, url: URL): Promise<string> {
  const ids = (url.searchParams.get("runs") ?? "").split(",").filter((s) => s !== "");
  if (ids.length === 0) return layout("Compare runs", `<p>Select runs in an experiment's table first.</p>`);
  const runs = await Promise.all(ids.map((id) => ctx.tracking.getRun(id)));
  const paramKeys = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  const dimensions = [
    ...paramKeys
      .map((k) => ({ label: k, values: runs.map((r) => Number(r.data.params.find((p) => p.key === k)?.value)) }))
      .filter((d) => d.values.every((v) => Number.isFinite(v))),
    ...metricKeys.map((k) => ({ label: k, values: runs.map((r) => r.data.metrics.find((m) => m.key === k)?.value ?? NaN) })),
  ];
  const row = (label: string, cells: string[]): string => `<tr><th>${esc(label)}</th>${cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`;
  const table = [
    row("Run", runs.map((r) => r.info.runName)),
    ...paramKeys.map((k) => row(`param ${k}`, runs.map((r) => r.data.params.find((p) => p.key === k)?.value ?? ""))),
    ...metricKeys.map((k) => row(`metric ${k}`, runs.map((r) => { const m = r.data.metrics.find((x) => x.key === k); return m === undefined ? "" : fmt(m.value); }))),
  ].join("");
  return layout(
    `Compare ${runs.length} runs`,
    `<table id="compare-table">${table}</table>
<div id="compare" data-compare data-runs="${esc(JSON.stringify(runs.map((r) => ({ id: r.info.runId, name: r.info.runName }))))}" data-metrics="${esc(JSON.stringify(metricKeys))}" data-dimensions="${esc(JSON.stringify(dimensions))}"></div>`,
    ["/static/plotly.min.js", "/static/ui.js"],
  );
}

async function modelsPage(ctx: HandlerContext): Promise<string> {
  const models = (await ctx.registry.searchRegisteredModels({ maxResults: 1000 })).items;
  const rows = models
    .map((m) => `<tr><td><a href="${href(`/models/${encodeURIComponent(m.name)}`)}">${esc(m.name)}</a></td><td>${esc(m.latestVersions.map((v) => `v${v.version} (${v.currentStage})`).join(", "))}</td><td>${esc(m.aliases.map((a) => `@${a.alias} → v${a.version}`).join(", "))}</td><td>${esc(when(m.lastUpdatedTimestamp))}</td></tr>`)
    .join("");
  return layout("Registered models", `<table id="models"><thead><tr><th>Name</th><th>Latest versions</th><th>Aliases</th><th>Updated</th></tr></thead><tbody>${rows}</tbody></table>`);
}

async function modelPage(ctx: HandlerContext, name: string): Promise<string> {
  const model = await ctx.registry.getRegisteredModel(name);
  const versions = (await ctx.registry.searchModelVersions({ filterString: `name = '${name.replace(/'/g, "\\'")}'`, maxResults: 10_000 })).items;
  const rows = versions
    .map((v) => `<tr><td>${esc(v.version)}</td><td>${esc(v.currentStage)}</td><td>${esc(v.aliases.map((a) => "@" + a).join(", "))}</td><td>${esc(v.description ?? "")}</td><td>${v.runId === null ? "" : `<a href="${href(`/runs/${v.runId}`)}">${esc(v.runId)}</a>`}</td><td>${esc(when(v.creationTimestamp))}</td></tr>`)
    .join("");
  return layout(
    `Model: ${model.name}`,
    `<p id="description">${esc(model.description ?? "")}</p>${kvTable("model-tags", model.tags)}
<table id="versions"><thead><tr><th>Version</th><th>Stage</th><th>Aliases</th><th>Description</th><th>Run</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

async function sendArtifact(res: ServerResponse, ctx: HandlerContext, url: URL): Promise<void> {
  const run = await ctx.tracking.getRun(url.searchParams.get("run_id") ?? "");
  const rel = safeSegments(url.searchParams.get("path") ?? "");
  const uri = run.info.artifactUri;
  let file;
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri);
  if (proxied !== null) {
    if (ctx.artifacts === null) throw MlflowError.invalidParameterValue("This server does not serve artifacts.");
    file = await ctx.artifacts.open([...safeSegments(proxied[1] as string), ...rel]);
  } else {
    const base = directSegmentsOf(uri, ctx); // refuses unless the direct root holds the URI
    file = await (ctx.directArtifacts as ArtifactStorage).open([...base, ...rel]);
  }
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": file.size, "X-Content-Type-Options": "nosniff" });
  file.stream.pipe(res);
}

/** The UI's request handler, mounted by the server for non-API paths. */
export function createUiPages(): PageHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, ctx: HandlerContext): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const path = url.pathname;
    if (path === "/static/plotly.min.js") {
      const js = plotlyBundle();
      res.writeHead(200, { "Content-Type": "application/javascript", "Content-Length": js.length, "Cache-Control": "max-age=86400" });
      res.end(js);
      return true;
    }
    if (path === "/static/ui.js") {
      sendText(res, 200, CLIENT_SCRIPT, "application/javascript");
      return true;
    }
    if (path === "/get-artifact") {
      await sendArtifact(res, ctx, url);
      return true;
    }
    let m: RegExpExecArray | null;
    try {
      if (path === "/" || path === "/experiments") sendHtml(res, await experimentsPage(ctx));
      else if ((m = /^\/experiments\/([^/]+)$/.exec(path)) !== null) sendHtml(res, await runsPage(ctx, decodeURIComponent(m[1] as string), url));
      else if ((m = /^\/runs\/([^/]+)$/.exec(path)) !== null) sendHtml(res, await runPage(ctx, decodeURIComponent(m[1] as string)));
      else if (path === "/compare") sendHtml(res, await comparePage(ctx, url));
      else if (path === "/models") sendHtml(res, await modelsPage(ctx));
      else if ((m = /^\/models\/([^/]+)$/.exec(path)) !== null) sendHtml(res, await modelPage(ctx, decodeURIComponent(m[1] as string)));
      else return false;
    } catch (err) {
      if (!(err instanceof MlflowError) && !(err instanceof HttpError)) throw err;
      const status = err instanceof MlflowError ? err.httpStatus : err.status;
      sendHtml(res, layout("Error", errorBox(err)), status);
    }
    return true;
  };
}
