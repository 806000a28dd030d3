/**
 * An experiment's runs (or several experiments' together): the runs table with MLflow
 * filter strings, state filter, server-side sorting, column picker, key metric pinned,
 * child runs under their parent, grouping by a param or tag, "Load more" paging, CSV
 * download and live updates; the chart view; and MLflow 3's logged models when the
 * server has them.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, get, send, searchRuns, type ExperimentJson, type LoggedModelJson, type RunJson, type RunsQuery } from "../lib/api";
import { roundNumber } from "../lib/format";
import { useCanWrite } from "../lib/permissions";
import { href, navigate } from "../lib/router";
import { ATTRIBUTE_COLUMNS, arrange, columnId, keyMetric, keysOf, lowerIsBetter, orderByOf, toCsv, toRow, type ColumnKey, type RunRow } from "../lib/runRows";
import { useStored } from "../lib/stored";
import { ChartsView } from "./ChartsView";
import { ColumnPicker } from "../components/ColumnPicker";
import { FilterBox } from "../components/FilterBox";
import { RunsGrid } from "../components/RunsGrid";

const PAGE_SIZE = 100;
/** How often the table asks for new and changed runs (ms). */
const REFRESH_MS = 3000;

interface TableSettings {
  hidden: string[];
  pinned: string | null;
  groupBy: string | null;
  order: { colId: string; ascending: boolean } | null;
}

const DEFAULT_SETTINGS: TableSettings = { hidden: ["attributes.Source", "attributes.User"], pinned: null, groupBy: null, order: null };

function signature(runs: readonly RunJson[]): string {
  return runs.map((r) => `${r.info.run_id}:${r.info.status}:${r.info.end_time ?? ""}:${r.info.lifecycle_stage ?? ""}:${(r.data.metrics ?? []).map((m) => `${m.key}=${m.value}@${m.step}`).join(",")}:${(r.data.tags ?? []).length}:${(r.data.params ?? []).length}`).join("|");
}

function parentOf(r: RunJson): string {
  return r.data.tags?.find((t) => t.key === "mlflow.parentRunId")?.value ?? "";
}

function parseColumnId(id: string): ColumnKey | null {
  const m = /^(attributes|metrics|params|tags)\.(.+)$/.exec(id);
  if (m === null) return null;
  const type = { attributes: "attribute", metrics: "metric", params: "param", tags: "tag" }[m[1] as string] as ColumnKey["type"];
  return { type, key: m[2] as string };
}

function LoggedModels({ experimentIds }: { readonly experimentIds: readonly string[] }) {
  const [models, setModels] = useState<LoggedModelJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    send<{ models?: LoggedModelJson[] }>("POST", "logged-models/search", { experiment_ids: experimentIds, max_results: 1000 })
      .then((r) => setModels(r.models ?? []))
      .catch((e: unknown) => setError(e instanceof ApiError && e.status === 404 ? "This server has no logged models (MLflow 3's logged-models API)." : String(e)));
  }, [experimentIds.join(",")]);
  if (error !== null) return <p class="muted">{error}</p>;
  if (models === null) return <p class="muted">Loading…</p>;
  if (models.length === 0) return <p class="muted">No logged models in this experiment.</p>;
  return (
    <table class="data" id="logged-models">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Status</th>
          <th scope="col">Source run</th>
          <th scope="col">Metrics</th>
          <th scope="col">Registered as</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.info.model_id}>
            <td title={m.info.model_id}>{m.info.name ?? m.info.model_id}</td>
            <td>{m.info.status ?? ""}</td>
            <td>{m.info.source_run_id === undefined ? "" : <a href={href({ page: "run", runId: m.info.source_run_id })}>{m.info.source_run_id.slice(0, 8)}</a>}</td>
            <td>{(m.data?.metrics ?? []).map((x) => `${x.key}=${roundNumber(Number(x.value))}`).join(", ")}</td>
            <td>{(m.info.registrations ?? []).map((r) => `${r.name} v${r.version}`).join(", ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The page. */
export function RunsPage({ experimentIds, view }: { readonly experimentIds: readonly string[]; readonly view: "table" | "chart" | "models" }) {
  const idsKey = experimentIds.join(",");
  const [experiments, setExperiments] = useState<ExperimentJson[]>([]);
  const [pageError, setPageError] = useState<string | null>(null);
  const [settings, saveSettings] = useStored<TableSettings>(`mlflow-ui:runs:${idsKey}`, DEFAULT_SETTINGS);
  const [filter, setFilter] = useState(() => new URLSearchParams(location.search).get("filter") ?? "");
  const [viewType, setViewType] = useState<RunsQuery["viewType"]>("ACTIVE_ONLY");
  const [runs, setRuns] = useState<RunJson[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string[]>([]);
  const [live, setLive] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const writable = useCanWrite(experimentIds.length === 1 ? experimentIds[0] : undefined);

  useEffect(() => {
    let alive = true;
    setPageError(null);
    Promise.all(experimentIds.map((id) => get<{ experiment: ExperimentJson }>("experiments/get", { experiment_id: id })))
      .then((r) => alive && setExperiments(r.map((x) => x.experiment)))
      .catch((e: unknown) => alive && setPageError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [idsKey]);

  const orderBy = useMemo(() => {
    const o = settings.order;
    const col = o === null ? null : parseColumnId(o.colId);
    const clause = col === null || o === null ? null : orderByOf(col, o.ascending);
    return clause === null ? ["attributes.start_time DESC"] : [clause];
  }, [settings.order?.colId, settings.order?.ascending]);
  const query: RunsQuery = { experimentIds, filter, orderBy, viewType, maxResults: PAGE_SIZE };
  const queryKey = JSON.stringify(query);
  const loaded = useRef(PAGE_SIZE);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    setSearchError(null);
    loaded.current = PAGE_SIZE;
    searchRuns(query)
      .then((page) => {
        if (!alive) return;
        setRuns(page.runs);
        setNextToken(page.nextPageToken);
        setUpdatedAt(Date.now());
      })
      .catch((e: unknown) => {
        if (!alive) return;
        setRuns([]);
        setNextToken(null);
        setSearchError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [queryKey]);

  // Live updates: the loaded pages are asked for again; new and changed runs replace the rows.
  const latestRuns = useRef(runs);
  latestRuns.current = runs;
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;
  useEffect(() => {
    if (!live) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One poll at a time: the next is scheduled when the last one answered (a slow server is never piled on).
    const poll = (): void => {
      if (!alive) return;
      if (document.hidden) {
        timer = setTimeout(poll, REFRESH_MS);
        return;
      }
      const size = Math.min(1000, Math.max(PAGE_SIZE, loaded.current));
      searchRuns({ ...query, maxResults: size })
        .then((page) => {
          if (!alive) return;
          // Keep rows the page does not cover: later pages, and children fetched for an expanded parent.
          const inPage = new Set(page.runs.map((r) => r.info.run_id));
          const keep = latestRuns.current.filter((r) => !inPage.has(r.info.run_id) && (loaded.current > size || expandedRef.current.has(parentOf(r))));
          const merged = [...page.runs, ...keep];
          if (signature(merged) !== signature(latestRuns.current)) {
            setRuns(merged);
            if (loaded.current <= size) setNextToken(page.nextPageToken);
          }
          setUpdatedAt(Date.now());
        })
        .catch(() => undefined)
        .finally(() => {
          if (alive) timer = setTimeout(poll, REFRESH_MS);
        });
    };
    timer = setTimeout(poll, REFRESH_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [queryKey, live]);

  const rows: RunRow[] = useMemo(() => runs.map(toRow), [runs]);
  const keys = useMemo(() => keysOf(rows), [rows]);
  const key = keyMetric(rows, settings.pinned);
  const lower = lowerIsBetter(rows, key);
  const allColumns: ColumnKey[] = useMemo(() => {
    const metrics = key === null ? keys.metrics : [key, ...keys.metrics.filter((m) => m !== key)];
    return [
      ...ATTRIBUTE_COLUMNS.map((k) => ({ type: "attribute" as const, key: k })),
      ...metrics.map((k) => ({ type: "metric" as const, key: k })),
      ...keys.params.map((k) => ({ type: "param" as const, key: k })),
      ...keys.tags.map((k) => ({ type: "tag" as const, key: k })),
    ];
  }, [keys, key]);
  const hidden = useMemo(() => {
    const h = new Set(settings.hidden);
    // Tags are hidden until picked, as in MLflow; a column the user showed stays shown.
    for (const t of keys.tags) if (!settings.hidden.includes(`!tags.${t}`)) h.add(`tags.${t}`);
    for (const m of settings.hidden) if (m.startsWith("!")) h.delete(m.slice(1));
    if (!rows.some((r) => r.models.length > 0)) h.add("attributes.Models");
    if (!rows.some((r) => r.datasets.length > 0)) h.add("attributes.Datasets");
    return h;
  }, [settings.hidden, keys.tags, rows]);
  const visible = allColumns.filter((c) => !hidden.has(columnId(c)) || (c.type === "attribute" && c.key === "Run Name"));
  // Run name first, then the key metric, then the rest in MLflow's order.
  const ordered = [...visible.filter((c) => c.type === "attribute" && c.key === "Run Name"), ...visible.filter((c) => c.type === "metric" && c.key === key), ...visible.filter((c) => !(c.type === "attribute" && c.key === "Run Name") && !(c.type === "metric" && c.key === key))];
  const groupBy = settings.groupBy === null ? null : parseColumnId(settings.groupBy);
  const display = useMemo(() => arrange(rows, { groupBy, expanded, keyMetric: key, lowerIsBetter: lower }), [rows, settings.groupBy, expanded, key, lower]);

  const setHidden = (next: Set<string>): void => {
    const stored: string[] = [];
    for (const id of next) if (!id.startsWith("tags.")) stored.push(id);
    for (const t of keys.tags) if (!next.has(`tags.${t}`)) stored.push(`!tags.${t}`);
    saveSettings({ ...settings, hidden: stored });
  };

  const toggle = async (id: string): Promise<void> => {
    const next = new Set(expanded);
    if (next.has(id)) {
      next.delete(id);
      setExpanded(next);
      return;
    }
    next.add(id);
    setExpanded(next);
    if (id.startsWith("group:")) return;
    // A parent's children may be on pages not loaded yet: ask for all of them.
    try {
      const childFilter = `tags.mlflow.parentRunId = '${id.replace(/'/g, "\\'")}'`;
      const page = await searchRuns({ ...query, filter: filter === "" ? childFilter : `${filter} and ${childFilter}`, maxResults: 1000 });
      setRuns((current) => {
        const have = new Set(current.map((r) => r.info.run_id));
        const extra = page.runs.filter((r) => !have.has(r.info.run_id));
        return extra.length === 0 ? current : [...current, ...extra];
      });
    } catch {
      // the children already loaded still show
    }
  };

  const loadMore = async (): Promise<void> => {
    if (nextToken === null) return;
    setLoading(true);
    try {
      const page = await searchRuns(query, nextToken);
      loaded.current += PAGE_SIZE;
      setRuns((current) => {
        const have = new Set(current.map((r) => r.info.run_id));
        return [...current, ...page.runs.filter((r) => !have.has(r.info.run_id))];
      });
      setNextToken(page.nextPageToken);
    } catch (e) {
      setSearchError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

  const downloadCsv = (): void => {
    const blob = new Blob([toCsv(rows, ordered)], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `runs-${experiments.map((e) => e.name).join("+") || idsKey}.csv`;
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  };

  const deleteSelected = async (restore: boolean): Promise<void> => {
    for (const id of selected) await send("POST", restore ? "runs/restore" : "runs/delete", { run_id: id });
    setSelected([]);
    setRuns((current) => current.filter((r) => !selected.includes(r.info.run_id)));
  };

  if (pageError !== null) return <div class="page"><p class="error" id="error">{pageError}</p></div>;
  const title = experiments.length === 0 ? "" : experiments.map((e) => e.name).join(" + ");
  const tab = (v: "table" | "chart" | "models", label: string) => (
    <a role="tab" aria-selected={view === v} class={view === v ? "tab active" : "tab"} href={href({ page: "experiments", experimentIds, view: v })} id={`tab-${v}`}>
      {label}
    </a>
  );
  const groupOptions = [...keys.params.map((k) => `params.${k}`), ...keys.tags.map((k) => `tags.${k}`)];
  return (
    <div class="page runs-page">
      <div class="page-head">
        <h1 id="experiment-title">{title}</h1>
        {experiments.length === 1 && <p class="muted small">Experiment ID {experiments[0]?.experiment_id} · Artifact location {experiments[0]?.artifact_location}</p>}
      </div>
      <div class="tabs" role="tablist">
        {tab("table", "Table")}
        {tab("chart", "Chart")}
        {tab("models", "Models")}
      </div>
      <div class="toolbar">
        <FilterBox value={filter} keys={keys} onSearch={(f) => setFilter(f)} />
        <label class="select">
          State{" "}
          <select id="state-filter" value={viewType} onChange={(e) => setViewType((e.target as HTMLSelectElement).value as RunsQuery["viewType"])}>
            <option value="ACTIVE_ONLY">Active</option>
            <option value="DELETED_ONLY">Deleted</option>
            <option value="ALL">All</option>
          </select>
        </label>
      </div>
      {searchError !== null && (
        <p class="error" id="search-error" role="alert">
          {searchError}
        </p>
      )}
      {view === "models" ? (
        <LoggedModels experimentIds={experimentIds} />
      ) : view === "chart" ? (
        <ChartsView rows={rows} keys={keys} keyMetric={key} storageKey={`mlflow-ui:charts:${idsKey}`} />
      ) : (
        <>
          <div class="toolbar secondary">
            <ColumnPicker all={allColumns} hidden={hidden} keyMetric={key} onChange={setHidden} onPin={(m) => saveSettings({ ...settings, pinned: m })} />
            <label class="select">
              Group by{" "}
              <select id="group-by" value={settings.groupBy ?? ""} onChange={(e) => saveSettings({ ...settings, groupBy: (e.target as HTMLSelectElement).value || null })}>
                <option value="">Parent run</option>
                {groupOptions.map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            </label>
            <button id="download-csv" onClick={downloadCsv} disabled={rows.length === 0}>
              Download CSV
            </button>
            <button id="compare-button" class="primary" disabled={selected.length < 2} onClick={() => navigate(href({ page: "compare", runIds: selected }))}>
              Compare {selected.length > 0 ? `(${selected.length})` : ""}
            </button>
            {writable && selected.length > 0 && (
              <button id="delete-runs" class="danger" onClick={() => void deleteSelected(viewType === "DELETED_ONLY")}>
                {viewType === "DELETED_ONLY" ? "Restore" : "Delete"} ({selected.length})
              </button>
            )}
            <label class="live">
              <input type="checkbox" checked={live} onChange={(e) => setLive((e.target as HTMLInputElement).checked)} /> Live
              {live && updatedAt !== null && <span class="muted small" id="updated-at"> updated {new Date(updatedAt).toLocaleTimeString()}</span>}
            </label>
          </div>
          <RunsGrid
            rows={display}
            columns={ordered}
            pinned={key === null ? [] : [columnId({ type: "metric", key })]}
            sort={settings.order}
            sortable={(c) => orderByOf(c, true) !== null}
            onSort={(c, asc) => saveSettings({ ...settings, order: { colId: columnId(c), ascending: asc } })}
            onToggle={(id) => void toggle(id)}
            onSelection={setSelected}
          />
          <div class="table-foot">
            <span id="run-count" data-count={rows.length}>
              {loading ? "Loading…" : `${rows.length} run${rows.length === 1 ? "" : "s"} loaded${nextToken === null ? "" : ", more available"}`}
            </span>
            {nextToken !== null && (
              <button id="load-more" onClick={() => void loadMore()} disabled={loading}>
                Load more
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
