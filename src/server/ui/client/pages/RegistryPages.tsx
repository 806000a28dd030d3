/**
 * The model registry: the models list (search, tags, aliases, latest versions), a model's
 * page (editable description, tags and aliases; its versions) and a version's page (source
 * run, signature from its MLmodel, stage transitions, aliases, description, tags).
 */
import { useEffect, useState } from "preact/hooks";
import { loadYaml } from "../../../../tracking/yaml";
import { withModelAliases } from "../lib/aliases";
import { fetchText, get, modelVersionArtifactUrl, send, type ModelVersionJson, type RegisteredModelJson } from "../lib/api";
import { ago, dateTime } from "../lib/format";
import { useCanWrite } from "../lib/permissions";
import { href } from "../lib/router";
import { DescriptionEditor, TagsEditor } from "../components/Editors";
import { MlModelView } from "../components/ArtifactBrowser";

const STAGES = ["None", "Staging", "Production", "Archived"];

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let alive = true;
    load()
      .then((d) => alive && setData(d))
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}

/** The models list. */
export function ModelsPage() {
  const [query, setQuery] = useState("");
  const [applied, setApplied] = useState("");
  const { data, error } = useLoad(
    async () => (await get<{ registered_models?: RegisteredModelJson[] }>("registered-models/search", { max_results: 1000, filter: applied === "" ? undefined : `name ILIKE '%${applied.replace(/'/g, "\\'")}%'`, order_by: ["name ASC"] })).registered_models ?? [],
    [applied],
  );
  return (
    <div class="page models-page">
      <h1>Registered models</h1>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query);
        }}
      >
        <label class="visually-hidden" for="model-search">Search models by name</label>
        <input id="model-search" type="search" placeholder="Search by name" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        <button type="submit" class="primary">Search</button>
      </form>
      {error !== null && <p class="error">{error}</p>}
      {data !== null && data.length === 0 && <p class="muted">No registered models{applied === "" ? "" : ` matching "${applied}"`}.</p>}
      {data !== null && data.length > 0 && (
        <table class="data" id="models">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Latest version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Stages</th>
              <th scope="col">Tags</th>
              <th scope="col">Last modified</th>
            </tr>
          </thead>
          <tbody>
            {data.map((m) => {
              const latest = [...(m.latest_versions ?? [])].sort((a, b) => Number(b.version) - Number(a.version))[0];
              return (
                <tr key={m.name} data-model={m.name}>
                  <td><a href={href({ page: "model", name: m.name })}>{m.name}</a></td>
                  <td>{latest === undefined ? "" : <a href={href({ page: "version", name: m.name, version: latest.version })}>Version {latest.version}</a>}</td>
                  <td>{(m.aliases ?? []).map((a) => <span class="badge alias" key={a.alias}>@{a.alias}: v{a.version}</span>)}</td>
                  <td>{(m.latest_versions ?? []).filter((v) => v.current_stage !== "None").map((v) => <span class="badge" key={v.version}>{v.current_stage}: v{v.version}</span>)}</td>
                  <td>{(m.tags ?? []).map((t) => <span class="badge tag" key={t.key}>{t.key}: {t.value}</span>)}</td>
                  <td title={dateTime(m.last_updated_timestamp)}>{ago(m.last_updated_timestamp)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function AliasEditor({ name, model, versions, writable, reload }: { readonly name: string; readonly model: RegisteredModelJson; readonly versions: readonly ModelVersionJson[]; readonly writable: boolean; readonly reload: () => void }) {
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState(versions[0]?.version ?? "");
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setError(null);
      reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div id="aliases">
      {(model.aliases ?? []).length === 0 ? <p class="muted">No aliases.</p> : (
        <ul class="alias-list">
          {(model.aliases ?? []).map((a) => (
            <li key={a.alias} data-alias={a.alias}>
              <span class="badge alias">@{a.alias}</span> → <a href={href({ page: "version", name, version: a.version })}>version {a.version}</a>
              {writable && (
                <button class="link danger" aria-label={`Remove alias ${a.alias}`} onClick={() => act(() => send("DELETE", "registered-models/alias", { name, alias: a.alias }))}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && versions.length > 0 && (
        <form
          class="inline-form"
          id="alias-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (alias.trim() === "") return;
            void act(async () => {
              await send("POST", "registered-models/alias", { name, alias: alias.trim(), version });
              setAlias("");
            });
          }}
        >
          <label>
            Alias <input name="alias" value={alias} onInput={(e) => setAlias((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Version{" "}
            <select name="alias-version" value={version} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}>
              {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
            </select>
          </label>
          <button type="submit">Set alias</button>
        </form>
      )}
      {error !== null && <p class="error">{error}</p>}
    </div>
  );
}

/** A registered model. */
export function ModelPage({ name }: { readonly name: string }) {
  const writable = useCanWrite(null);
  const { data, error, reload } = useLoad(async () => {
    const [m, v] = await Promise.all([
      get<{ registered_model: RegisteredModelJson }>("registered-models/get", { name }),
      get<{ model_versions?: ModelVersionJson[] }>("model-versions/search", { filter: `name = '${name.replace(/'/g, "\\'")}'`, max_results: 10000 }),
    ]);
    const versions = withModelAliases(v.model_versions ?? [], [m.registered_model]);
    return { model: m.registered_model, versions: versions.sort((a, b) => Number(b.version) - Number(a.version)) };
  }, [name]);
  if (error !== null) return <div class="page"><p class="error" id="error">{error}</p></div>;
  if (data === null) return <div class="page"><p class="muted">Loading…</p></div>;
  const { model, versions } = data;
  return (
    <div class="page model-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/models">Registered models</a></nav>
      <h1 id="model-name">{model.name}</h1>
      <p class="muted small">Created {dateTime(model.creation_timestamp)} · last modified {dateTime(model.last_updated_timestamp)}</p>
      <section class="card">
        <h2>Description</h2>
        <DescriptionEditor id="model-description" text={model.description ?? ""} writable={writable} onSave={async (t) => { await send("PATCH", "registered-models/update", { name, description: t }); reload(); }} />
      </section>
      <div class="two-col">
        <section class="card">
          <h2>Aliases</h2>
          <AliasEditor name={name} model={model} versions={versions} writable={writable} reload={reload} />
        </section>
        <section class="card">
          <h2>Tags</h2>
          <TagsEditor id="model-tags" tags={model.tags ?? []} writable={writable} onSet={async (key, value) => { await send("POST", "registered-models/set-tag", { name, key, value }); reload(); }} onDelete={async (key) => { await send("DELETE", "registered-models/delete-tag", { name, key }); reload(); }} />
        </section>
      </div>
      <section class="card">
        <h2>Versions ({versions.length})</h2>
        <table class="data" id="versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Registered</th>
              <th scope="col">Aliases</th>
              <th scope="col">Stage</th>
              <th scope="col">Source run</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td><a href={href({ page: "version", name, version: v.version })}>Version {v.version}</a></td>
                <td title={dateTime(v.creation_timestamp)}>{ago(v.creation_timestamp)}</td>
                <td>{(v.aliases ?? []).map((a) => <span class="badge alias" key={a}>@{a}</span>)}</td>
                <td>{v.current_stage ?? "None"}</td>
                <td>{v.run_id ? <a href={href({ page: "run", runId: v.run_id })}>{v.run_id.slice(0, 8)}</a> : ""}</td>
                <td class="wrap clip">{(v.description ?? "").split("\n")[0]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** A model version. */
export function VersionPage({ name, version }: { readonly name: string; readonly version: string }) {
  const writable = useCanWrite(null);
  const [stage, setStage] = useState("");
  const [archive, setArchive] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const { data, error, reload } = useLoad(async () => {
    const [v, m] = await Promise.all([get<{ model_version: ModelVersionJson }>("model-versions/get", { name, version }), get<{ registered_model: RegisteredModelJson }>("registered-models/get", { name })]);
    const mlmodel = await fetchText(modelVersionArtifactUrl(name, version, "MLmodel")).catch(() => null);
    return { v: v.model_version, model: m.registered_model, mlmodel };
  }, [name, version]);
  if (error !== null) return <div class="page"><p class="error" id="error">{error}</p></div>;
  if (data === null) return <div class="page"><p class="muted">Loading…</p></div>;
  const { v, model, mlmodel } = data;
  let flavorsNote = "";
  if (mlmodel !== null) {
    try {
      flavorsNote = Object.keys((loadYaml(mlmodel) as { flavors?: object }).flavors ?? {}).join(", ");
    } catch {
      flavorsNote = "";
    }
  }
  const aliases = v.aliases ?? [];
  return (
    <div class="page version-page">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/models">Registered models</a> › <a href={href({ page: "model", name })}>{name}</a>
      </nav>
      <h1 id="version-title">
        {name} · Version {v.version}
      </h1>
      <section class="card">
        <dl class="facts" id="version-details">
          <dt>Registered</dt>
          <dd>{dateTime(v.creation_timestamp)}</dd>
          <dt>Creator</dt>
          <dd>{v.user_id || "—"}</dd>
          <dt>Stage</dt>
          <dd id="stage">{v.current_stage ?? "None"}</dd>
          <dt>Aliases</dt>
          <dd>{aliases.length === 0 ? "—" : aliases.map((a) => <span class="badge alias" key={a}>@{a}</span>)} <a class="small" href={href({ page: "model", name })}>edit on the model page</a></dd>
          <dt>Source run</dt>
          <dd>{v.run_id ? <a href={href({ page: "run", runId: v.run_id })} id="source-run">{v.run_id}</a> : "—"}</dd>
          <dt>Source</dt>
          <dd class="wrap"><code>{v.source}</code></dd>
          <dt>Status</dt>
          <dd>{v.status ?? "READY"}</dd>
          {flavorsNote !== "" && (
            <>
              <dt>Flavors</dt>
              <dd>{flavorsNote}</dd>
            </>
          )}
        </dl>
        {writable && (
          <form
            class="inline-form"
            id="stage-form"
            onSubmit={async (e) => {
              e.preventDefault();
              if (stage === "") return;
              try {
                await send("POST", "model-versions/transition-stage", { name, version, stage, archive_existing_versions: archive });
                setActionError(null);
                setStage("");
                reload();
              } catch (err) {
                setActionError(err instanceof Error ? err.message : String(err));
              }
            }}
          >
            <label>
              Transition to{" "}
              <select name="stage" value={stage} onChange={(e) => setStage((e.target as HTMLSelectElement).value)}>
                <option value="">choose a stage…</option>
                {STAGES.filter((s) => s !== (v.current_stage ?? "None")).map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={archive} onChange={(e) => setArchive((e.target as HTMLInputElement).checked)} /> archive other versions in that stage
            </label>
            <button type="submit" disabled={stage === ""}>Transition</button>
          </form>
        )}
        {actionError !== null && <p class="error">{actionError}</p>}
      </section>
      <section class="card">
        <h2>Description</h2>
        <DescriptionEditor id="version-description" text={v.description ?? ""} writable={writable} onSave={async (t) => { await send("PATCH", "model-versions/update", { name, version, description: t }); reload(); }} />
      </section>
      <section class="card">
        <h2>Tags</h2>
        <TagsEditor id="version-tags" tags={v.tags ?? []} writable={writable} onSet={async (key, value) => { await send("POST", "model-versions/set-tag", { name, version, key, value }); reload(); }} onDelete={async (key) => { await send("DELETE", "model-versions/delete-tag", { name, version, key }); reload(); }} />
      </section>
      <section class="card">
        <h2>Schema</h2>
        {mlmodel === null ? <p class="muted">The version's MLmodel could not be read from its source.</p> : <MlModelView text={mlmodel} folderUri={null} runId={null} writable={false} />}
      </section>
      <p class="muted small">Model: {model.name} · {(model.aliases ?? []).length} alias(es)</p>
    </div>
  );
}
