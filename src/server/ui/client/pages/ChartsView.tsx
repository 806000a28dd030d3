/**
 * The chart view of an experiment: bar charts of a metric's latest value per run, line
 * charts over steps, scatter, parallel coordinates and contour plots. Charts are added,
 * configured and removed here and remembered per experiment (localStorage).
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { metricHistory, type MetricJson } from "../lib/api";
import { axisId, barTraces, contourTraces, lineTraces, numericParams, parseAxis, scatterTraces, type Axis } from "../lib/plots";
import { MAX_PARAMS, parallelData } from "../lib/parallelData";
import { lowerIsBetter, type RunRow } from "../lib/runRows";
import { useStored } from "../lib/stored";
import { ParallelCoordinates } from "../components/ParallelCoordinates";
import { Plot } from "../components/Plot";

/** One chart's settings. */
export type ChartConfig =
  | { readonly type: "bar"; readonly metric: string }
  | { readonly type: "line"; readonly metric: string }
  | { readonly type: "scatter"; readonly x: string; readonly y: string }
  | { readonly type: "parallel"; readonly params: readonly string[]; readonly metric: string | null }
  | { readonly type: "contour"; readonly x: string; readonly y: string; readonly metric: string };

/** Props of {@link ChartsView}. */
export interface ChartsViewProps {
  readonly rows: readonly RunRow[];
  readonly keys: { metrics: readonly string[]; params: readonly string[] };
  readonly keyMetric: string | null;
  readonly storageKey: string;
}

/** The charts a view starts with: parallel coordinates and a contour for a study, bars of the key metrics. */
export function defaultCharts(keys: ChartsViewProps["keys"], keyMetric: string | null, rows: readonly RunRow[]): ChartConfig[] {
  const main = keyMetric ?? keys.metrics[0] ?? null;
  const out: ChartConfig[] = [];
  const numeric = numericParams(rows, keys.params);
  if (main !== null && keys.params.length > 0) out.push({ type: "parallel", params: [], metric: main });
  for (const m of [main, ...keys.metrics.filter((k) => k !== main)].slice(0, 2)) if (m !== null) out.push({ type: "bar", metric: m });
  if (main !== null && numeric.length >= 2) out.push({ type: "contour", x: numeric[0] as string, y: numeric[1] as string, metric: main });
  if (main !== null && numeric.length >= 1) out.push({ type: "scatter", x: `params.${numeric[0]}`, y: `metrics.${main}` });
  return out;
}

function Select({ label, value, options, onChange, id }: { readonly label: string; readonly value: string; readonly options: readonly string[]; readonly onChange: (v: string) => void; readonly id: string }) {
  return (
    <label class="select">
      {label}{" "}
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function LineChart({ rows, metric, index }: { readonly rows: readonly RunRow[]; readonly metric: string; readonly index: number }) {
  const runs = rows.filter((r) => r.metrics.has(metric)).slice(0, 10);
  const [histories, setHistories] = useState<Array<{ name: string; points: MetricJson[] }> | null>(null);
  useEffect(() => {
    let alive = true;
    Promise.all(runs.map(async (r) => ({ name: r.name, points: await metricHistory(r.runId, metric) })))
      .then((h) => alive && setHistories(h))
      .catch(() => alive && setHistories([]));
    return () => {
      alive = false;
    };
  }, [metric, runs.map((r) => r.runId).join(",")]);
  if (histories === null) return <p class="muted">Loading histories…</p>;
  if (!histories.some((h) => h.points.length > 1)) return <p class="muted">{metric} has one value per run: see its bar chart.</p>;
  return <Plot id={`chart-${index}`} label={`${metric} over steps`} data={lineTraces(histories)} layout={{ title: { text: `${metric} over steps (first ${runs.length} runs)` }, xaxis: { title: { text: "step" } }, yaxis: { title: { text: metric } } }} />;
}

/** The params a parallel-coordinates chart shows: ticked in a drop-down; none chosen means the first {@link MAX_PARAMS}. */
function ParamPicker({ id, all, chosen, onChange }: { readonly id: string; readonly all: readonly string[]; readonly chosen: readonly string[]; readonly onChange: (params: string[]) => void }) {
  const shown = chosen.length > 0 ? chosen : all.slice(0, MAX_PARAMS);
  const toggle = (p: string, on: boolean): void => {
    const next = all.filter((q) => (q === p ? on : shown.includes(q)));
    const isDefault = next.length === Math.min(all.length, MAX_PARAMS) && next.every((q, k) => q === all[k]);
    onChange(isDefault ? [] : next);
  };
  return (
    <details class="param-picker" id={id}>
      <summary>
        Params ({shown.length} of {all.length})
      </summary>
      <fieldset class="popover">
        <legend>Axes of the chart</legend>
        {all.map((p) => (
          <label key={p} class="check">
            <input type="checkbox" checked={shown.includes(p)} onChange={(e) => toggle(p, (e.target as HTMLInputElement).checked)} /> {p}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

function ParallelChart({ rows, params, metric, index }: { readonly rows: readonly RunRow[]; readonly params: readonly string[]; readonly metric: string | null; readonly index: number }) {
  const data = useMemo(() => parallelData(rows, params, metric, lowerIsBetter(rows, metric)), [rows, params.join("\n"), metric]);
  return <ParallelCoordinates id={`chart-${index}`} label={`Parallel coordinates of params to ${metric ?? "the runs' metrics"}`} height={380} data={data} />;
}

/** The view. */
export function ChartsView({ rows, keys, keyMetric, storageKey }: ChartsViewProps) {
  const [stored, save] = useStored<{ charts: ChartConfig[] | null }>(storageKey, { charts: null });
  const charts = stored.charts ?? defaultCharts(keys, keyMetric, rows);
  const setCharts = (next: ChartConfig[]): void => save({ charts: next });
  const update = (i: number, c: ChartConfig): void => setCharts(charts.map((x, j) => (j === i ? c : x)));
  const axes = [...keys.metrics.map((k) => `metrics.${k}`), ...keys.params.map((k) => `params.${k}`)];
  const numeric = numericParams(rows, keys.params);
  const main = keyMetric ?? keys.metrics[0] ?? "";
  const add = (type: ChartConfig["type"]): void => {
    const fresh: Record<ChartConfig["type"], ChartConfig> = {
      bar: { type: "bar", metric: main },
      line: { type: "line", metric: main },
      scatter: { type: "scatter", x: axes[0] ?? "", y: `metrics.${main}` },
      parallel: { type: "parallel", params: [], metric: main },
      contour: { type: "contour", x: numeric[0] ?? "", y: numeric[1] ?? "", metric: main },
    };
    setCharts([...charts, fresh[type]]);
  };
  if (rows.length === 0) return <p class="muted">No runs to chart.</p>;
  return (
    <div class="charts-view" id="charts-view">
      <div class="toolbar">
        <label class="select">
          Add chart{" "}
          <select
            id="add-chart"
            value=""
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value as ChartConfig["type"] | "";
              if (v !== "") add(v);
            }}
          >
            <option value="">choose…</option>
            <option value="bar">Bar (latest value)</option>
            <option value="line">Line (over steps)</option>
            <option value="scatter">Scatter</option>
            <option value="parallel">Parallel coordinates</option>
            <option value="contour">Contour</option>
          </select>
        </label>
        <button class="link" onClick={() => save({ charts: null })}>
          Reset charts
        </button>
        <span class="muted small">{rows.length} runs loaded</span>
      </div>
      <div class="chart-grid">
        {charts.map((c, i) => (
          <section class={`chart-card ${c.type === "parallel" ? "wide" : ""}`} key={`${i}-${c.type}`} data-chart-type={c.type}>
            <div class="chart-controls">
              {(c.type === "bar" || c.type === "line") && <Select id={`chart-${i}-metric`} label="Metric" value={c.metric} options={keys.metrics} onChange={(m) => update(i, { ...c, metric: m })} />}
              {c.type === "scatter" && (
                <>
                  <Select id={`chart-${i}-x`} label="X" value={c.x} options={axes} onChange={(x) => update(i, { ...c, x })} />
                  <Select id={`chart-${i}-y`} label="Y" value={c.y} options={axes} onChange={(y) => update(i, { ...c, y })} />
                </>
              )}
              {c.type === "contour" && (
                <>
                  <Select id={`chart-${i}-x`} label="X" value={c.x} options={numeric} onChange={(x) => update(i, { ...c, x })} />
                  <Select id={`chart-${i}-y`} label="Y" value={c.y} options={numeric} onChange={(y) => update(i, { ...c, y })} />
                  <Select id={`chart-${i}-metric`} label="Z" value={c.metric} options={keys.metrics} onChange={(m) => update(i, { ...c, metric: m })} />
                </>
              )}
              {c.type === "parallel" && (
                <>
                  <ParamPicker id={`chart-${i}-params`} all={keys.params} chosen={c.params} onChange={(params) => update(i, { ...c, params })} />
                  <Select id={`chart-${i}-metric`} label="Objective" value={c.metric ?? ""} options={keys.metrics} onChange={(m) => update(i, { ...c, metric: m })} />
                </>
              )}
              <button class="link danger" aria-label={`Remove chart ${i + 1}`} onClick={() => setCharts(charts.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
            {c.type === "bar" && <Plot id={`chart-${i}`} label={`${c.metric} per run`} data={barTraces(rows, c.metric)} layout={{ title: { text: c.metric }, xaxis: { automargin: true, tickangle: -30 } }} />}
            {c.type === "line" && <LineChart rows={rows} metric={c.metric} index={i} />}
            {c.type === "scatter" && (() => {
              const x = parseAxis(c.x);
              const y = parseAxis(c.y);
              return x === null || y === null ? <p class="muted">Pick two axes.</p> : <Plot id={`chart-${i}`} label={`${c.y} against ${c.x}`} data={scatterTraces(rows, x, y)} layout={{ title: { text: `${y.key} vs ${x.key}` }, xaxis: { title: { text: axisId(x) } }, yaxis: { title: { text: axisId(y) } } }} />;
            })()}
            {c.type === "parallel" && <ParallelChart rows={rows} params={c.params} metric={c.metric} index={i} />}
            {c.type === "contour" && (() => {
              const traces = contourTraces(rows, { type: "param", key: c.x } as Axis, { type: "param", key: c.y } as Axis, { type: "metric", key: c.metric } as Axis);
              return traces.length === 0 ? <p class="muted">A contour needs three runs with numeric {c.x}, {c.y} and {c.metric}.</p> : <Plot id={`chart-${i}`} label={`${c.metric} over ${c.x} and ${c.y}`} data={traces} layout={{ title: { text: `${c.metric} over ${c.x}, ${c.y}` }, xaxis: { title: { text: c.x } }, yaxis: { title: { text: c.y } }, showlegend: false }} />;
            })()}
          </section>
        ))}
      </div>
    </div>
  );
}
