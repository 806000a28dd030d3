/**
 * The web UI's entry: the header, the experiments sidebar and the page of the current
 * route. Rendered by Preact into the shell the server sends for every UI path.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { get, searchExperiments, type ExperimentJson } from "./lib/api";
import { currentUser } from "./lib/permissions";
import { fromMlflowHash, href, navigate, onLinkClick, useRoute } from "./lib/router";
import { ComparePage } from "./pages/ComparePage";
import { ExperimentsSidebar } from "./pages/ExperimentsSidebar";
import { ModelPage, ModelsPage, VersionPage } from "./pages/RegistryPages";
import { RunPage } from "./pages/RunPage";
import { RunsPage } from "./pages/RunsPage";

/** With no experiment chosen, the one updated last is shown (MLflow shows one too). */
function Home() {
  const [empty, setEmpty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    searchExperiments("ACTIVE_ONLY")
      .then((list) => {
        const latest = [...list].sort((a, b) => Number(b.last_update_time ?? b.creation_time ?? 0) - Number(a.last_update_time ?? a.creation_time ?? 0))[0];
        if (latest === undefined) setEmpty(true);
        else navigate(href({ page: "experiments", experimentIds: [latest.experiment_id], view: "table" }), true);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error !== null) return <div class="page"><p class="error" id="error">{error}</p></div>;
  return <div class="page">{empty ? <p>No experiments yet. Create one, or log runs with <code>MLFLOW_TRACKING_URI={location.origin}</code>.</p> : <p class="muted">Loading…</p>}</div>;
}

/** `/experiments?name=...`: a stable link to an experiment by name (ids differ between stores). */
function ExperimentByName({ name, view }: { readonly name: string; readonly view: "table" | "chart" | "models" }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ experiment: ExperimentJson }>("experiments/get-by-name", { experiment_name: name })
      .then((r) => navigate(href({ page: "experiments", experimentIds: [r.experiment.experiment_id], view }), true))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [name, view]);
  return <div class="page">{error === null ? <p class="muted">Loading…</p> : <p class="error" id="error">{error}</p>}</div>;
}

function App() {
  const route = useRoute();
  useEffect(() => {
    const titles: Record<string, string> = { experiments: "Experiments", "experiment-by-name": "Experiment", run: "Run", compare: "Compare runs", models: "Registered models", model: "Model", version: "Model version", "not-found": "Not found" };
    document.title = `${titles[route.page] ?? ""} · MLflow`;
  }, [route.page]);
  const user = currentUser();
  const onExperiments = route.page === "experiments";
  const onModels = route.page === "models" || route.page === "model" || route.page === "version";
  return (
    <div class="app" onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
      <header class="topbar">
        <a class="brand" href="/" aria-label="MLflow home">
          <span class="logo" aria-hidden="true">ml<b>flow</b></span>
        </a>
        <nav aria-label="Main">
          <a href="/" class={onExperiments || route.page === "run" || route.page === "compare" ? "active" : ""}>Experiments</a>
          <a href="/models" class={onModels ? "active" : ""}>Models</a>
        </nav>
        <span class="spacer" />
        {user !== null && <span class="user" id="user">{user}</span>}
      </header>
      <div class={onExperiments ? "body with-sidebar" : "body"}>
        {onExperiments && <ExperimentsSidebar selected={route.experimentIds} />}
        <main id="main">
          {route.page === "experiments" && (route.experimentIds.length === 0 ? <Home /> : <RunsPage key={route.experimentIds.join(",")} experimentIds={route.experimentIds} view={route.view} />)}
          {route.page === "experiment-by-name" && <ExperimentByName name={route.name} view={route.view} />}
          {route.page === "run" && <RunPage key={route.runId} runId={route.runId} />}
          {route.page === "compare" && <ComparePage runIds={route.runIds} experimentName={route.experimentName} limit={route.limit} />}
          {route.page === "models" && <ModelsPage />}
          {route.page === "model" && <ModelPage key={route.name} name={route.name} />}
          {route.page === "version" && <VersionPage key={`${route.name}/${route.version}`} name={route.name} version={route.version} />}
          {route.page === "not-found" && (
            <div class="page">
              <h1>Page not found</h1>
              <p>
                No page at <code>{route.path}</code>. <a href="/">Go to the experiments.</a>
              </p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}

const fromHash = fromMlflowHash(location.hash);
if (fromHash !== null) history.replaceState(null, "", fromHash);
render(<App />, document.getElementById("root") as HTMLElement);
