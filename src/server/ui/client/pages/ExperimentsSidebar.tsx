/**
 * The experiments sidebar, as in MLflow: search, select one or several (to see their runs
 * together), create, rename, delete, and restore deleted ones. Only experiments the user
 * may read are listed (the server filters `experiments/search`); write actions appear
 * where the user may write.
 */
import { useEffect, useState } from "preact/hooks";
import { searchExperiments, send, type ExperimentJson } from "../lib/api";
import { canWrite, useCanWrite } from "../lib/permissions";
import { href, navigate } from "../lib/router";

/** Props of {@link ExperimentsSidebar}. */
export interface SidebarProps {
  readonly selected: readonly string[];
  readonly onChanged?: () => void;
}

function ExperimentActions({ e, reload }: { readonly e: ExperimentJson; readonly reload: () => void }) {
  const writable = useCanWrite(e.experiment_id);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(e.name);
  const [error, setError] = useState<string | null>(null);
  if (!writable) return null;
  const act = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setError(null);
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  if (renaming) {
    return (
      <form
        class="rename"
        onSubmit={(ev) => {
          ev.preventDefault();
          void act(async () => {
            await send("POST", "experiments/update", { experiment_id: e.experiment_id, new_name: name });
            setRenaming(false);
          });
        }}
      >
        <label class="visually-hidden" for={`rename-${e.experiment_id}`}>New name</label>
        <input id={`rename-${e.experiment_id}`} value={name} onInput={(ev) => setName((ev.target as HTMLInputElement).value)} />
        <button type="submit">Save</button>
        <button type="button" onClick={() => setRenaming(false)}>Cancel</button>
        {error !== null && <p class="error">{error}</p>}
      </form>
    );
  }
  if (e.lifecycle_stage === "deleted") {
    return (
      <span class="actions">
        <button class="link" onClick={() => act(() => send("POST", "experiments/restore", { experiment_id: e.experiment_id }))} aria-label={`Restore ${e.name}`}>
          Restore
        </button>
        {error !== null && <span class="error">{error}</span>}
      </span>
    );
  }
  return (
    <span class="actions">
      <button class="icon" title="Rename" aria-label={`Rename ${e.name}`} onClick={() => setRenaming(true)}>
        ✎
      </button>
      <button
        class="icon"
        title="Delete"
        aria-label={`Delete ${e.name}`}
        onClick={() => {
          if (confirm(`Delete experiment "${e.name}"? It can be restored from "Show deleted".`)) void act(() => send("POST", "experiments/delete", { experiment_id: e.experiment_id }));
        }}
      >
        ✕
      </button>
      {error !== null && <span class="error">{error}</span>}
    </span>
  );
}

/** The sidebar. */
export function ExperimentsSidebar({ selected }: SidebarProps) {
  const [experiments, setExperiments] = useState<ExperimentJson[] | null>(null);
  const [query, setQuery] = useState("");
  const [showDeleted, setShowDeleted] = useState(false);
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [canCreate, setCanCreate] = useState(false);
  const reload = (): void => setVersion((v) => v + 1);
  useEffect(() => {
    void canWrite(null).then(setCanCreate);
  }, []);
  useEffect(() => {
    let live = true;
    searchExperiments(showDeleted ? "DELETED_ONLY" : "ACTIVE_ONLY")
      .then((list) => live && setExperiments(list.sort((a, b) => a.name.localeCompare(b.name))))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [showDeleted, version]);
  const shown = (experiments ?? []).filter((e) => e.name.toLowerCase().includes(query.toLowerCase()));
  const toggle = (id: string, on: boolean): void => {
    const next = on ? [...new Set([...selected, id])] : selected.filter((s) => s !== id);
    navigate(href({ page: "experiments", experimentIds: next, view: "table" }));
  };
  return (
    <nav class="sidebar" aria-label="Experiments">
      <div class="sidebar-head">
        <h2>Experiments</h2>
        {canCreate && !showDeleted && (
          <button class="link" id="new-experiment-button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            + New
          </button>
        )}
      </div>
      {creating && (
        <form
          class="create"
          onSubmit={async (ev) => {
            ev.preventDefault();
            try {
              const r = await send<{ experiment_id: string }>("POST", "experiments/create", { name: newName });
              setCreating(false);
              setNewName("");
              reload();
              navigate(href({ page: "experiments", experimentIds: [r.experiment_id], view: "table" }));
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          <label for="new-experiment">Name</label>
          <input id="new-experiment" value={newName} onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
          <button type="submit" class="primary">Create</button>
        </form>
      )}
      <label class="visually-hidden" for="experiment-search">Search experiments</label>
      <input id="experiment-search" type="search" placeholder="Search experiments" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      {error !== null && <p class="error">{error}</p>}
      <ul id="experiment-list">
        {shown.map((e) => (
          <li key={e.experiment_id} class={selected.includes(e.experiment_id) ? "selected" : ""} data-experiment-id={e.experiment_id}>
            {!showDeleted && (
              <input
                type="checkbox"
                aria-label={`Select ${e.name}`}
                checked={selected.includes(e.experiment_id)}
                onChange={(ev) => toggle(e.experiment_id, (ev.target as HTMLInputElement).checked)}
              />
            )}
            {showDeleted ? <span class="name">{e.name}</span> : <a href={href({ page: "experiments", experimentIds: [e.experiment_id], view: "table" })} class="name">{e.name}</a>}
            <ExperimentActions e={e} reload={reload} />
          </li>
        ))}
      </ul>
      {experiments !== null && shown.length === 0 && <p class="muted">{showDeleted ? "No deleted experiments." : "No experiments."}</p>}
      <label class="show-deleted">
        <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted((e.target as HTMLInputElement).checked)} /> Show deleted
      </label>
    </nav>
  );
}
