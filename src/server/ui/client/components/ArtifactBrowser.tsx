/**
 * A run's artifacts: a folder tree (`artifacts/list`) and a preview of the chosen file:
 * text, JSON, YAML, CSV as a table, images, HTML (in a sandboxed frame: the server sends
 * artifacts with `Content-Security-Policy: sandbox`, so their scripts never run with our
 * origin), and `MLmodel` with its flavors, signature and a "Register model" action.
 */
import { useEffect, useState } from "preact/hooks";
import { loadYaml } from "../../../../tracking/yaml";
import { artifactUrl, fetchText, get, send, type FileInfoJson, type RegisteredModelJson } from "../lib/api";
import { bytes } from "../lib/format";
import { parseCsv } from "../lib/csv";
import { href } from "../lib/router";

const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp)$/i;
const HTML = /\.html?$/i;
const PREVIEW_LIMIT = 200_000;

function Folder({ runId, path, depth, selected, onSelect }: { readonly runId: string; readonly path: string; readonly depth: number; readonly selected: string | null; readonly onSelect: (f: FileInfoJson) => void }) {
  const [files, setFiles] = useState<FileInfoJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  useEffect(() => {
    get<{ files?: FileInfoJson[] }>("artifacts/list", path === "" ? { run_id: runId } : { run_id: runId, path })
      .then((r) => setFiles((r.files ?? []).sort((a, b) => Number(b.is_dir ?? false) - Number(a.is_dir ?? false) || a.path.localeCompare(b.path))))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [runId, path]);
  if (error !== null) return <p class="error">{error}</p>;
  if (files === null) return <p class="muted">Loading…</p>;
  if (files.length === 0 && depth === 0) return <p class="muted">No artifacts recorded.</p>;
  return (
    <ul class="tree" role={depth === 0 ? "tree" : "group"} aria-label={depth === 0 ? "Artifacts" : undefined}>
      {files.map((f) => {
        const name = f.path.split("/").pop() ?? f.path;
        if (f.is_dir) {
          const isOpen = open.has(f.path);
          return (
            <li key={f.path} role="treeitem" aria-expanded={isOpen}>
              <button
                class="tree-item dir"
                data-dir={f.path}
                onClick={() => {
                  const next = new Set(open);
                  if (isOpen) next.delete(f.path);
                  else next.add(f.path);
                  setOpen(next);
                  onSelect(f);
                }}
              >
                <span class="tree-icon" aria-hidden="true">{isOpen ? "▾" : "▸"}</span> {name}/
              </button>
              {isOpen && <Folder runId={runId} path={f.path} depth={depth + 1} selected={selected} onSelect={onSelect} />}
            </li>
          );
        }
        return (
          <li key={f.path} role="treeitem" aria-selected={selected === f.path}>
            <button class={`tree-item file ${selected === f.path ? "selected" : ""}`} data-file={f.path} onClick={() => onSelect(f)}>
              <span class="tree-icon" aria-hidden="true">·</span> {name}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

interface MlModel {
  artifact_path?: string;
  flavors?: Record<string, Record<string, unknown>>;
  signature?: { inputs?: string; outputs?: string; params?: string };
  run_id?: string;
  utc_time_created?: string;
  model_uuid?: string;
  mlflow_version?: string;
}

function SchemaTable({ title, json }: { readonly title: string; readonly json: string | undefined }) {
  if (json === undefined || json === null) return null;
  let cols: Array<{ name?: string; type?: string; required?: boolean; "tensor-spec"?: { dtype?: string; shape?: number[] } }> = [];
  try {
    cols = JSON.parse(json) as typeof cols;
  } catch {
    return <p class="muted">{title}: {json}</p>;
  }
  return (
    <table class="data schema">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
        </tr>
      </thead>
      <tbody>
        {cols.map((c, i) => (
          <tr key={i}>
            <td>{c.name ?? `#${i}`}</td>
            <td>{c.type === "tensor" ? `tensor ${c["tensor-spec"]?.dtype ?? ""} ${JSON.stringify(c["tensor-spec"]?.shape ?? [])}` : (c.type ?? "")}{c.required === false ? " (optional)" : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The `MLmodel` view: flavors, signature, and registering the folder as a model version. */
export function MlModelView({ text, folderUri, runId, writable }: { readonly text: string; readonly folderUri: string | null; readonly runId: string | null; readonly writable: boolean }) {
  let model: MlModel;
  try {
    model = loadYaml(text) as MlModel;
  } catch (e) {
    return <pre class="preview">{text}</pre>;
  }
  return (
    <div class="mlmodel" id="mlmodel">
      <h3>MLmodel</h3>
      <dl class="facts">
        {model.model_uuid !== undefined && (
          <>
            <dt>Model UUID</dt>
            <dd>{model.model_uuid}</dd>
          </>
        )}
        {model.utc_time_created !== undefined && (
          <>
            <dt>Created</dt>
            <dd>{model.utc_time_created}</dd>
          </>
        )}
        {model.mlflow_version !== undefined && (
          <>
            <dt>MLflow version</dt>
            <dd>{model.mlflow_version}</dd>
          </>
        )}
      </dl>
      <h4>Flavors</h4>
      <ul class="flavors">
        {Object.entries(model.flavors ?? {}).map(([name, f]) => (
          <li key={name}>
            <b>{name}</b> <span class="muted small">{Object.entries(f).filter(([, v]) => typeof v !== "object").map(([k, v]) => `${k}: ${String(v)}`).join(" · ")}</span>
          </li>
        ))}
      </ul>
      {model.signature !== undefined ? (
        <div class="signature">
          <h4>Signature</h4>
          <SchemaTable title="Inputs" json={model.signature.inputs} />
          <SchemaTable title="Outputs" json={model.signature.outputs} />
        </div>
      ) : (
        <p class="muted">No signature.</p>
      )}
      {writable && folderUri !== null && <RegisterModel source={folderUri} runId={runId} />}
      <details>
        <summary>MLmodel file</summary>
        <pre class="preview">{text}</pre>
      </details>
    </div>
  );
}

function RegisterModel({ source, runId }: { readonly source: string; readonly runId: string | null }) {
  const [open, setOpen] = useState(false);
  const [models, setModels] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [done, setDone] = useState<{ name: string; version: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    get<{ registered_models?: RegisteredModelJson[] }>("registered-models/search", { max_results: 1000 })
      .then((r) => setModels((r.registered_models ?? []).map((m) => m.name)))
      .catch(() => setModels([]));
  }, [open]);
  if (done !== null) {
    return (
      <p class="notice" id="registered">
        Registered as <a href={href({ page: "version", name: done.name, version: done.version })}>{done.name} version {done.version}</a>.
      </p>
    );
  }
  if (!open) {
    return (
      <button class="primary" id="register-model" onClick={() => setOpen(true)}>
        Register model
      </button>
    );
  }
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          if (!models.includes(name)) await send("POST", "registered-models/create", { name });
          const r = await send<{ model_version: { version: string } }>("POST", "model-versions/create", { name, source, run_id: runId ?? undefined });
          setDone({ name, version: r.model_version.version });
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      }}
    >
      <label>
        Model name <input list="model-names" name="model-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required />
      </label>
      <datalist id="model-names">
        {models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <button type="submit" class="primary">Register</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      {error !== null && <p class="error">{error}</p>}
    </form>
  );
}

/** A file's preview, chosen by its name and content. */
export function FilePreview({ url, path, size, folderUri, runId, writable }: { readonly url: string; readonly path: string; readonly size: number; readonly folderUri: string | null; readonly runId: string | null; readonly writable: boolean }) {
  // Each answer is kept with the URL it answers: until the new file's text arrives, the last
  // file's text must not be rendered as the new file (a text shown as an empty CSV table).
  const [answer, setAnswer] = useState<{ readonly url: string; readonly text: string | null; readonly error: string | null } | null>(null);
  const current = answer !== null && answer.url === url ? answer : null;
  const text = current?.text ?? null;
  const error = current?.error ?? null;
  const name = path.split("/").pop() ?? path;
  const isImage = IMAGE.test(name);
  const isHtml = HTML.test(name);
  useEffect(() => {
    if (isImage || isHtml) return;
    if (size > 20_000_000) {
      setAnswer({ url, text: null, error: `This file is ${bytes(size)}: download it to see it.` });
      return;
    }
    let alive = true; // a slow answer for a file no longer shown must not replace the shown one's
    fetchText(url)
      .then((t) => alive && setAnswer({ url, text: t, error: null }))
      .catch((e: unknown) => alive && setAnswer({ url, text: null, error: e instanceof Error ? e.message : String(e) }));
    return () => {
      alive = false;
    };
  }, [url]);
  const head = (
    <div class="preview-head">
      <b>{path}</b> <span class="muted small">{bytes(size)}</span>{" "}
      <a href={url} download={name}>
        Download
      </a>
    </div>
  );
  if (isImage) return <div class="preview-box" data-preview="image">{head}<img src={url} alt={path} /></div>;
  if (isHtml) return <div class="preview-box" data-preview="html">{head}<iframe sandbox="" src={url} title={path} /></div>;
  if (error !== null) return <div class="preview-box">{head}<p class="error">{error}</p></div>;
  if (text === null) return <div class="preview-box">{head}<p class="muted">Loading…</p></div>;
  if (text.slice(0, 8000).includes("\u0000")) return <div class="preview-box" data-preview="binary">{head}<p class="muted">Binary file: download it to open it.</p></div>;
  const shown = text.length > PREVIEW_LIMIT ? text.slice(0, PREVIEW_LIMIT) : text;
  const cut = text.length > PREVIEW_LIMIT && <p class="muted small">Showing the first {bytes(PREVIEW_LIMIT)}.</p>;
  if (name === "MLmodel") return <div class="preview-box" data-preview="mlmodel">{head}<MlModelView text={text} folderUri={folderUri} runId={runId} writable={writable} /></div>;
  if (/\.json$/i.test(name)) {
    let pretty = shown;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not valid JSON: show it as it is
    }
    return <div class="preview-box" data-preview="json">{head}<pre class="preview" id="artifact-text">{pretty.slice(0, PREVIEW_LIMIT)}</pre>{cut}</div>;
  }
  if (/\.(csv|tsv)$/i.test(name)) {
    const rows = parseCsv(shown, 101, /\.tsv$/i.test(name) ? "\t" : ",");
    const [header, ...body] = rows;
    return (
      <div class="preview-box" data-preview="csv">
        {head}
        <div class="table-scroll">
          <table class="data" id="csv-preview">
            <thead>
              <tr>{(header ?? []).map((h, i) => <th scope="col" key={i}>{h}</th>)}</tr>
            </thead>
            <tbody>
              {body.map((r, i) => (
                <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
        {rows.length > 100 && <p class="muted small">Showing the first 100 rows.</p>}
      </div>
    );
  }
  return <div class="preview-box" data-preview={/\.ya?ml$/i.test(name) ? "yaml" : "text"}>{head}<pre class="preview" id="artifact-text">{shown}</pre>{cut}</div>;
}

/** The browser. */
export function ArtifactBrowser({ runId, artifactUri, writable }: { readonly runId: string; readonly artifactUri: string; readonly writable: boolean }) {
  const [file, setFile] = useState<FileInfoJson | null>(null);
  const [modelDir, setModelDir] = useState<string | null>(null);
  const select = (f: FileInfoJson): void => {
    if (f.is_dir) {
      // A folder holding an MLmodel is a model: show it as MLflow does.
      get<{ files?: FileInfoJson[] }>("artifacts/list", { run_id: runId, path: f.path })
        .then((r) => {
          if ((r.files ?? []).some((x) => x.path.split("/").pop() === "MLmodel")) {
            setModelDir(f.path);
            setFile({ path: `${f.path}/MLmodel`, is_dir: false, file_size: (r.files ?? []).find((x) => x.path.endsWith("MLmodel"))?.file_size ?? 0 });
          }
        })
        .catch(() => undefined);
      return;
    }
    const dir = f.path.includes("/") ? f.path.slice(0, f.path.lastIndexOf("/")) : "";
    setModelDir(f.path.split("/").pop() === "MLmodel" ? dir : null);
    setFile(f);
  };
  return (
    <div class="artifacts" id="artifacts">
      <div class="artifact-tree">
        <Folder runId={runId} path="" depth={0} selected={file?.path ?? null} onSelect={select} />
      </div>
      <div class="artifact-preview" id="artifact-preview" data-path={file?.path ?? ""}>
        {file === null ? (
          <p class="muted">Select a file to preview it.</p>
        ) : (
          <FilePreview url={artifactUrl(runId, file.path)} path={file.path} size={Number(file.file_size ?? 0)} folderUri={modelDir === null ? null : `${artifactUri.replace(/\/$/, "")}/${modelDir}`} runId={runId} writable={writable} />
        )}
      </div>
    </div>
  );
}
