/**
 * A run, as MLflow's run page shows it: description (markdown, editable), status, times,
 * duration, parent and child runs, source and git commit, datasets, registered versions and
 * logged models made from it; params; metrics as values with charts only for metrics that
 * have several steps; tags (editable); the artifact browser.
 */
import { useEffect, useState } from "preact/hooks";
import { withModelAliases } from "../lib/aliases";
import { get, metricHistory, searchRuns, send, type ExperimentJson, type MetricJson, type ModelVersionJson, type RegisteredModelJson, type RunJson } from "../lib/api";
import { dateTime, duration, fullNumber, roundNumber } from "../lib/format";
import { useCanWrite } from "../lib/permissions";
import { lineTraces } from "../lib/plots";
import { href } from "../lib/router";
import { shownStatus, toRow } from "../lib/runRows";
import { ArtifactBrowser } from "../components/ArtifactBrowser";
import { DescriptionEditor, TagsEditor } from "../components/Editors";
import { Plot } from "../components/Plot";

const NOTE = "mlflow.note.content";

function Fact({ label, children }: { readonly label: string; readonly children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function MetricCharts({ runId, metrics }: { readonly runId: string; readonly metrics: readonly string[] }) {
  const [histories, setHistories] = useState<Map<string, MetricJson[]> | null>(null);
  useEffect(() => {
    let alive = true;
    Promise.all(metrics.map(async (m) => [m, await metricHistory(runId, m)] as const))
      .then((h) => alive && setHistories(new Map(h)))
      .catch(() => alive && setHistories(new Map()));
    return () => {
      alive = false;
    };
  }, [runId, metrics.join(",")]);
  if (histories === null) return <p class="muted">Loading metric histories…</p>;
  const stepped = [...histories].filter(([, h]) => h.length > 1);
  if (stepped.length === 0) return null;
  return (
    <div class="chart-grid" id="metric-charts" data-count={stepped.length}>
      {stepped.map(([key, h]) => (
        <section class="chart-card" key={key} data-metric={key}>
          <Plot label={`${key} over steps`} data={lineTraces([{ name: key, points: h }])} layout={{ title: { text: key }, xaxis: { title: { text: "step" } }, showlegend: false }} height={260} />
        </section>
      ))}
    </div>
  );
}

/** The page. */
export function RunPage({ runId }: { readonly runId: string }) {
  const [run, setRun] = useState<RunJson | null>(null);
  const [experiment, setExperiment] = useState<ExperimentJson | null>(null);
  const [children, setChildren] = useState<RunJson[]>([]);
  const [parent, setParent] = useState<RunJson | null>(null);
  const [versions, setVersions] = useState<ModelVersionJson[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [showSystemTags, setShowSystemTags] = useState(false);
  const writable = useCanWrite(run?.info.experiment_id);
  const reload = (): void => setVersion((v) => v + 1);

  useEffect(() => {
    let alive = true;
    get<{ run: RunJson }>("runs/get", { run_id: runId })
      .then(async ({ run: r }) => {
        if (!alive) return;
        setRun(r);
        const tags = new Map((r.data.tags ?? []).map((t) => [t.key, t.value]));
        const [exp, kids, vers, par] = await Promise.all([
          get<{ experiment: ExperimentJson }>("experiments/get", { experiment_id: r.info.experiment_id }).then((x) => x.experiment).catch(() => null),
          searchRuns({ experimentIds: [r.info.experiment_id], filter: `tags.mlflow.parentRunId = '${runId}'`, orderBy: ["attributes.start_time ASC"], viewType: "ACTIVE_ONLY", maxResults: 1000 }).then((p) => p.runs).catch(() => []),
          get<{ model_versions?: ModelVersionJson[] }>("model-versions/search", { filter: `run_id = '${runId}'` })
            .then(async (x) => {
              const found = x.model_versions ?? [];
              const names = [...new Set(found.map((v) => v.name))];
              const models = await Promise.all(names.map((name) => get<{ registered_model: RegisteredModelJson }>("registered-models/get", { name }).then((m) => [m.registered_model]).catch(() => [])));
              return withModelAliases(found, models.flat());
            })
            .catch(() => []),
          tags.has("mlflow.parentRunId") ? get<{ run: RunJson }>("runs/get", { run_id: tags.get("mlflow.parentRunId") as string }).then((x) => x.run).catch(() => null) : Promise.resolve(null),
        ]);
        if (!alive) return;
        setExperiment(exp);
        setChildren(kids);
        setVersions(vers);
        setParent(par);
      })
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [runId, version]);

  if (error !== null) return <div class="page"><p class="error" id="error">{error}</p></div>;
  if (run === null) return <div class="page"><p class="muted">Loading…</p></div>;
  const row = toRow(run);
  const tags = new Map((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const status = shownStatus(run, tags);
  const metrics = [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const params = [...(run.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const userTags = (run.data.tags ?? []).filter((t) => !t.key.startsWith("mlflow."));
  const systemTags = (run.data.tags ?? []).filter((t) => t.key.startsWith("mlflow.") && t.key !== NOTE && t.key !== "mlflow.log-model.history");
  const setTag = async (key: string, value: string): Promise<void> => {
    await send("POST", "runs/set-tag", { run_id: runId, key, value });
    reload();
  };
  const commit = tags.get("mlflow.source.git.commit");
  const datasets = run.inputs?.dataset_inputs ?? [];
  const outputs = run.outputs?.model_outputs ?? [];
  return (
    <div class="page run-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "experiments", experimentIds: [run.info.experiment_id], view: "table" })}>{experiment?.name ?? `Experiment ${run.info.experiment_id}`}</a>
        {parent !== null && (
          <>
            {" › "}
            <a href={href({ page: "run", runId: parent.info.run_id })}>{parent.info.run_name || parent.info.run_id}</a>
          </>
        )}
      </nav>
      <h1 id="run-name">{row.name}</h1>
      <section class="card">
        <h2>Description</h2>
        <DescriptionEditor id="run-description" text={tags.get(NOTE) ?? ""} writable={writable} onSave={(t) => setTag(NOTE, t)} />
      </section>
      <section class="card">
        <h2>Details</h2>
        <dl class="facts wide" id="run-details">
          <Fact label="Run ID"><code id="run-id">{run.info.run_id}</code></Fact>
          <Fact label="Status"><span class={`status ${status === "FINISHED" ? "ok" : status === "RUNNING" ? "running" : status === "PRUNED" ? "pruned" : "bad"}`} id="status">{status}</span></Fact>
          <Fact label="Started">{dateTime(run.info.start_time)}</Fact>
          <Fact label="Ended">{run.info.end_time === undefined ? "—" : dateTime(run.info.end_time)}</Fact>
          <Fact label="Duration">{duration(row.durationMs) || "—"}</Fact>
          <Fact label="User">{run.info.user_id || tags.get("mlflow.user") || "—"}</Fact>
          <Fact label="Source">{tags.get("mlflow.source.name") ?? "—"}{tags.has("mlflow.source.type") ? ` (${tags.get("mlflow.source.type")})` : ""}</Fact>
          {commit !== undefined && <Fact label="Git commit"><code title={commit}>{commit.slice(0, 12)}</code></Fact>}
          <Fact label="Lifecycle">{run.info.lifecycle_stage ?? "active"}</Fact>
          {parent !== null && <Fact label="Parent run"><a href={href({ page: "run", runId: parent.info.run_id })}>{parent.info.run_name || parent.info.run_id}</a></Fact>}
          <Fact label="Child runs">
            {children.length === 0 ? "—" : (
              <span id="child-runs">
                {children.slice(0, 12).map((c, i) => (
                  <span key={c.info.run_id}>
                    {i > 0 && ", "}
                    <a href={href({ page: "run", runId: c.info.run_id })}>{c.info.run_name || c.info.run_id}</a>
                  </span>
                ))}
                {children.length > 12 && ` and ${children.length - 12} more`}
              </span>
            )}
          </Fact>
          <Fact label="Datasets">{datasets.length === 0 ? "—" : <span id="datasets">{datasets.map((d) => `${d.dataset.name}${d.dataset.digest ? ` (${d.dataset.digest})` : ""}${d.tags?.find((t) => t.key === "mlflow.data.context") ? ` · ${d.tags.find((t) => t.key === "mlflow.data.context")?.value}` : ""}`).join(", ")}</span>}</Fact>
          <Fact label="Registered models">
            {versions.length === 0 ? "—" : (
              <span id="registered-versions">
                {versions.map((v, i) => (
                  <span key={`${v.name}/${v.version}`}>
                    {i > 0 && ", "}
                    <a href={href({ page: "version", name: v.name, version: v.version })}>{v.name} v{v.version}</a>
                    {(v.aliases ?? []).map((a) => <span class="badge" key={a}>@{a}</span>)}
                  </span>
                ))}
              </span>
            )}
          </Fact>
          {outputs.length > 0 && <Fact label="Logged models"><span id="logged-model-outputs">{outputs.map((o) => o.model_id).join(", ")}</span></Fact>}
        </dl>
      </section>
      <div class="two-col">
        <section class="card">
          <h2>Parameters ({params.length})</h2>
          {params.length === 0 ? <p class="muted">No parameters.</p> : (
            <table class="kv" id="params">
              <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
              <tbody>{params.map((p) => <tr key={p.key}><td>{p.key}</td><td class="wrap">{p.value}</td></tr>)}</tbody>
            </table>
          )}
        </section>
        <section class="card">
          <h2>Metrics ({metrics.length})</h2>
          {metrics.length === 0 ? <p class="muted">No metrics.</p> : (
            <table class="kv" id="metrics">
              <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Step</th></tr></thead>
              <tbody>
                {metrics.map((m) => (
                  <tr key={m.key}>
                    <td>{m.key}</td>
                    <td class="num" title={fullNumber(Number(m.value))}>{roundNumber(Number(m.value))}</td>
                    <td class="num">{m.step}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      {metrics.length > 0 && <MetricCharts runId={runId} metrics={metrics.map((m) => m.key)} />}
      <section class="card">
        <h2>Tags</h2>
        <TagsEditor id="run-tags" tags={userTags} writable={writable} onSet={setTag} onDelete={async (key) => { await send("POST", "runs/delete-tag", { run_id: runId, key }); reload(); }} />
        <button class="link" onClick={() => setShowSystemTags(!showSystemTags)} aria-expanded={showSystemTags}>
          {showSystemTags ? "Hide" : "Show"} MLflow system tags ({systemTags.length})
        </button>
        {showSystemTags && (
          <table class="kv" id="system-tags">
            <tbody>{systemTags.map((t) => <tr key={t.key}><td>{t.key}</td><td class="wrap">{t.value}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section class="card">
        <h2>Artifacts</h2>
        <p class="muted small">{run.info.artifact_uri}</p>
        <ArtifactBrowser runId={runId} artifactUri={run.info.artifact_uri ?? ""} writable={writable} />
      </section>
    </div>
  );
}
