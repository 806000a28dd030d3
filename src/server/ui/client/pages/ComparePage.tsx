/**
 * Runs side by side: params with differences highlighted (and a "differences only"
 * switch), metrics with the best value marked, parallel coordinates, a scatter of any two
 * params or metrics, and line overlays of the metrics logged over several steps.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { get, metricHistory, searchRuns, type MetricJson, type RunJson } from "../lib/api";
import { fullNumber, roundNumber } from "../lib/format";
import { parallelData } from "../lib/parallelData";
import { lineTraces, parseAxis, scatterTraces } from "../lib/plots";
import { href } from "../lib/router";
import { keyMetric, keysOf, lowerIsBetter, toRow, type RunRow } from "../lib/runRows";
import { ParallelCoordinates } from "../components/ParallelCoordinates";
import { Plot } from "../components/Plot";

function Overlays({ rows, metrics }: { readonly rows: readonly RunRow[]; readonly metrics: readonly string[] }) {
  const [histories, setHistories] = useState<Map<string, Array<{ name: string; points: MetricJson[] }>> | null>(null);
  useEffect(() => {
    let alive = true;
    const few = rows.slice(0, 20);
    Promise.all(metrics.map(async (m) => [m, await Promise.all(few.map(async (r) => ({ name: r.name, points: r.metrics.has(m) ? await metricHistory(r.runId, m) : [] })))] as const))
      .then((h) => alive && setHistories(new Map(h)))
      .catch(() => alive && setHistories(new Map()));
    return () => {
      alive = false;
    };
  }, [rows.map((r) => r.runId).join(","), metrics.join(",")]);
  if (histories === null) return <p class="muted">Loading metric histories…</p>;
  const stepped = [...histories].filter(([, hs]) => hs.some((h) => h.points.length > 1));
  if (stepped.length === 0) return null;
  return (
    <section class="card">
      <h2>Metrics over steps</h2>
      <div class="chart-grid" id="overlays">
        {stepped.map(([m, hs]) => (
          <section class="chart-card overlay" key={m} data-metric={m}>
            <Plot label={`${m} over steps`} data={lineTraces(hs)} layout={{ title: { text: m }, xaxis: { title: { text: "step" } } }} height={280} />
          </section>
        ))}
      </div>
    </section>
  );
}

/** How many runs `?experiment=NAME` compares by default, and at most (`&limit=N`). */
const EXPERIMENT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** With more runs than this, the side-by-side table shows the first ones only (the charts show all). */
const TABLE_RUNS = 20;

async function loadRuns(runIds: readonly string[], experimentName: string | undefined, limit: number): Promise<RunJson[]> {
  if (experimentName === undefined) return Promise.all(runIds.map((id) => get<{ run: RunJson }>("runs/get", { run_id: id }).then((r) => r.run)));
  const { experiment } = await get<{ experiment: { experiment_id: string } }>("experiments/get-by-name", { experiment_name: experimentName });
  const page = await searchRuns({ experimentIds: [experiment.experiment_id], filter: "", orderBy: ["attributes.start_time ASC"], viewType: "ACTIVE_ONLY", maxResults: Math.min(MAX_LIMIT, Math.max(1, limit)) });
  return page.runs;
}

/** The page: `runIds`, or the runs of the experiment named `experimentName`. */
export function ComparePage({ runIds, experimentName, limit = EXPERIMENT_LIMIT }: { readonly runIds: readonly string[]; readonly experimentName?: string; readonly limit?: number }) {
  const [runs, setRuns] = useState<RunJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [diffOnly, setDiffOnly] = useState(false);
  const [x, setX] = useState<string | null>(null);
  const [y, setY] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    loadRuns(runIds, experimentName, limit)
      .then((r) => alive && setRuns(r))
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [runIds.join(","), experimentName, limit]);
  const rows = useMemo(() => (runs ?? []).map(toRow), [runs]);
  const keys = useMemo(() => keysOf(rows), [rows]);
  const chartData = useMemo(() => {
    const objective = keyMetric(rows, null) ?? keys.metrics[0] ?? null;
    return parallelData(rows, [], objective, lowerIsBetter(rows, objective));
  }, [rows, keys]);
  if (runIds.length === 0 && experimentName === undefined) return <div class="page"><h1>Compare runs</h1><p>Select runs in an experiment's table, then press Compare.</p></div>;
  if (error !== null) return <div class="page"><p class="error" id="error">{error}</p></div>;
  if (runs === null) return <div class="page"><p class="muted">Loading…</p></div>;
  const key = keyMetric(rows, null) ?? keys.metrics[0] ?? null;
  const axes = [...keys.metrics.map((k) => `metrics.${k}`), ...keys.params.map((k) => `params.${k}`)];
  const sx = x ?? (keys.params[0] !== undefined ? `params.${keys.params[0]}` : axes[0]) ?? "";
  const sy = y ?? (key !== null ? `metrics.${key}` : axes[1]) ?? "";
  const ax = parseAxis(sx);
  const ay = parseAxis(sy);
  const experiments = [...new Set(runs.map((r) => r.info.experiment_id))];
  const differs = (values: ReadonlyArray<string | undefined>): boolean => new Set(values.map((v) => v ?? "∅")).size > 1;
  const tableRows = rows.slice(0, TABLE_RUNS);
  const paramRows = keys.params.map((k) => ({ k, values: tableRows.map((r) => r.params.get(k)) })).filter((p) => !diffOnly || differs(p.values));
  const table = (
      <section class="card">
        <div class="table-scroll">
          <table class="data compare" id="compare-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                {tableRows.map((r) => (
                  <th scope="col" key={r.runId}>
                    <a href={href({ page: "run", runId: r.runId })}>{r.name}</a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Status</th>
                {tableRows.map((r) => <td key={r.runId}>{r.status}</td>)}
              </tr>
              <tr class="section">
                <th scope="rowgroup" colSpan={tableRows.length + 1}>
                  Parameters{" "}
                  <label class="small">
                    <input type="checkbox" id="diff-only" checked={diffOnly} onChange={(e) => setDiffOnly((e.target as HTMLInputElement).checked)} /> show differences only
                  </label>
                </th>
              </tr>
              {paramRows.map((p) => (
                <tr key={`p-${p.k}`} class={differs(p.values) ? "diff" : ""} data-param={p.k}>
                  <th scope="row">{p.k}</th>
                  {p.values.map((v, i) => <td key={i}>{v ?? ""}</td>)}
                </tr>
              ))}
              <tr class="section">
                <th scope="rowgroup" colSpan={tableRows.length + 1}>Metrics</th>
              </tr>
              {keys.metrics.map((m) => {
                const vals = tableRows.map((r) => r.metrics.get(m));
                const present = vals.filter((v): v is number => v !== undefined);
                const best = present.length < 2 ? null : lowerIsBetter(rows, m) ? Math.min(...present) : Math.max(...present);
                return (
                  <tr key={`m-${m}`} data-metric={m}>
                    <th scope="row">{m}</th>
                    {vals.map((v, i) => (
                      <td key={i} class={`num ${v !== undefined && v === best ? "best" : ""}`} title={v === undefined ? "" : fullNumber(v)}>
                        {v === undefined ? "" : roundNumber(v)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
  );
  const parallel = (
    <>
      {keys.params.length > 0 && (
        <section class="card">
          <h2>Parallel coordinates</h2>
          <ParallelCoordinates id="parallel" label={`Parallel coordinates of params to ${key ?? "the runs' metrics"}`} height={400} data={chartData} />
        </section>
      )}
    </>
  );
  // A study (or many runs) is read from its parallel coordinates first; a few runs from their table.
  const many = rows.length > 8 || experimentName !== undefined;
  return (
    <div class="page compare-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        {experiments.map((e, i) => (
          <span key={e}>
            {i > 0 && ", "}
            <a href={href({ page: "experiments", experimentIds: [e], view: "table" })}>Experiment {e}</a>
          </span>
        ))}
      </nav>
      <h1>Comparing {runs.length} runs{experimentName === undefined ? "" : ` of ${experimentName}`}</h1>
      {many ? parallel : table}
      {many ? table : parallel}
      {axes.length >= 2 && ax !== null && ay !== null && (
        <section class="card">
          <h2>Scatter</h2>
          <div class="chart-controls">
            <label class="select">
              X{" "}
              <select id="scatter-x" value={sx} onChange={(e) => setX((e.target as HTMLSelectElement).value)}>
                {axes.map((a) => <option key={a} value={a}>{a}</option>)}
              </select>
            </label>
            <label class="select">
              Y{" "}
              <select id="scatter-y" value={sy} onChange={(e) => setY((e.target as HTMLSelectElement).value)}>
                {axes.map((a) => <option key={a} value={a}>{a}</option>)}
              </select>
            </label>
          </div>
          <Plot id="scatter" label={`${sy} against ${sx}`} data={scatterTraces(rows, ax, ay)} layout={{ xaxis: { title: { text: sx } }, yaxis: { title: { text: sy } } }} />
        </section>
      )}
      {rows.length <= TABLE_RUNS && <Overlays rows={rows} metrics={keys.metrics} />}
    </div>
  );
}
