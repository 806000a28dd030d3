/**
 * The UI's browser script (plain JS, served as /static/ui.js): metric charts, run
 * comparison plots and the artifact browser, all reading the `/ajax-api` REST endpoints.
 * Every value from the server is inserted as text, never as HTML.
 */
export const CLIENT_SCRIPT = String.raw`
"use strict";
const api = (path, params) => fetch("/ajax-api/2.0/mlflow/" + path + "?" + new URLSearchParams(params)).then(async (r) => {
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || r.statusText);
  return body;
});
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
async function history(runId, key) {
  const r = await api("metrics/get-history", { run_id: runId, metric_key: key });
  return (r.metrics || []).map((m) => ({ step: Number(m.step), value: Number(m.value), timestamp: Number(m.timestamp) }));
}
async function drawRunCharts(box) {
  const runId = box.dataset.runId;
  for (const key of JSON.parse(box.dataset.metrics)) {
    const div = el("div", { class: "chart", "data-metric": key });
    box.append(div);
    const points = await history(runId, key);
    Plotly.newPlot(div, [{ x: points.map((p) => p.step), y: points.map((p) => p.value), mode: points.length > 1 ? "lines+markers" : "markers", name: key }],
      { title: { text: key }, xaxis: { title: { text: "step" } }, margin: { t: 40 } }, { responsive: true });
    div.dataset.points = String(points.length);
  }
  box.dataset.ready = "true";
}
async function drawCompare(box) {
  const runs = JSON.parse(box.dataset.runs);
  const dims = JSON.parse(box.dataset.dimensions);
  const par = el("div", { class: "chart", id: "parallel" });
  box.append(par);
  Plotly.newPlot(par, [{ type: "parcoords", dimensions: dims.map((d) => ({ label: d.label, values: d.values })) }], { title: { text: "Parallel coordinates" } });
  for (const key of JSON.parse(box.dataset.metrics)) {
    const div = el("div", { class: "chart overlay", "data-metric": key });
    box.append(div);
    const traces = [];
    for (const run of runs) {
      const points = await history(run.id, key);
      traces.push({ x: points.map((p) => p.step), y: points.map((p) => p.value), mode: "lines+markers", name: run.name });
    }
    Plotly.newPlot(div, traces, { title: { text: key }, xaxis: { title: { text: "step" } } });
  }
  box.dataset.ready = "true";
}
async function artifactTree(box) {
  const runId = box.dataset.runId;
  const preview = document.getElementById("artifact-preview");
  async function list(path, ul) {
    const r = await api("artifacts/list", path ? { run_id: runId, path } : { run_id: runId });
    for (const f of r.files || []) {
      const name = f.path.split("/").pop();
      const li = el("li", {});
      if (f.is_dir) {
        const a = el("a", { "data-dir": f.path }, "📁 " + name);
        const sub = el("ul", {});
        a.addEventListener("click", async () => { if (!sub.dataset.loaded) { sub.dataset.loaded = "1"; await list(f.path, sub); } });
        li.append(a, sub);
      } else {
        const url = "/get-artifact?" + new URLSearchParams({ run_id: runId, path: f.path });
        const a = el("a", { "data-file": f.path, href: url }, "📄 " + name + " (" + f.file_size + " B)");
        a.addEventListener("click", async (ev) => {
          ev.preventDefault();
          const res = await fetch(url);
          const text = await res.text();
          preview.textContent = text.slice(0, 20000);
          preview.dataset.path = f.path;
        });
        li.append(a);
      }
      ul.append(li);
    }
  }
  const ul = el("ul", { class: "tree" });
  box.append(ul);
  await list("", ul);
  box.dataset.ready = "true";
}
for (const box of document.querySelectorAll("[data-run-charts]")) drawRunCharts(box).catch((e) => { box.textContent = "Error: " + e.message; });
for (const box of document.querySelectorAll("[data-compare]")) drawCompare(box).catch((e) => { box.textContent = "Error: " + e.message; });
for (const box of document.querySelectorAll("[data-artifacts]")) artifactTree(box).catch((e) => { box.textContent = "Error: " + e.message; });
for (const box of document.querySelectorAll("input[name=compare]")) box.addEventListener("change", () => {
  const ids = [...document.querySelectorAll("input[name=compare]:checked")].map((c) => c.value);
  const link = document.getElementById("compare-link");
  link.href = "/compare?runs=" + ids.join(",");
  link.textContent = "Compare " + ids.length + " run(s)";
});
`;
