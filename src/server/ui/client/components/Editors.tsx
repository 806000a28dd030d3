/** Editable pieces shared by the run, model and version pages: a markdown description and a tag list. */
import { useState } from "preact/hooks";
import type { KeyValue } from "../lib/api";
import { Markdown } from "./Markdown";

/** A markdown description with Edit / Save / Cancel when `writable`. */
export function DescriptionEditor({ text, writable, onSave, id }: { readonly text: string; readonly writable: boolean; readonly onSave: (text: string) => Promise<void>; readonly id: string }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (editing) {
    return (
      <div class="description editing" id={id}>
        <label class="visually-hidden" for={`${id}-input`}>Description (markdown)</label>
        <textarea id={`${id}-input`} rows={6} value={draft} onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
        {error !== null && <p class="error">{error}</p>}
        <div class="actions">
          <button
            class="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onSave(draft);
                setEditing(false);
                setError(null);
              } catch (e) {
                setError(e instanceof Error ? e.message : String(e));
              } finally {
                setBusy(false);
              }
            }}
          >
            Save
          </button>
          <button onClick={() => setEditing(false)}>Cancel</button>
        </div>
      </div>
    );
  }
  return (
    <div class="description" id={id}>
      {text === "" ? <p class="muted">No description.</p> : <Markdown text={text} id={`${id}-text`} />}
      {writable && (
        <button
          class="link edit"
          onClick={() => {
            setDraft(text);
            setEditing(true);
          }}
        >
          Edit description
        </button>
      )}
    </div>
  );
}

/** A table of tags; when `writable`, each can be removed and new ones added. */
export function TagsEditor({ tags, writable, onSet, onDelete, id }: { readonly tags: readonly KeyValue[]; readonly writable: boolean; readonly onSet: (key: string, value: string) => Promise<void>; readonly onDelete: (key: string) => Promise<void>; readonly id: string }) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>): Promise<void> => {
    try {
      await action();
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="tags-editor" id={id}>
      {tags.length === 0 ? (
        <p class="muted">No tags.</p>
      ) : (
        <table class="kv">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              {writable && <th scope="col"><span class="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {tags.map((t) => (
              <tr key={t.key} data-tag={t.key}>
                <td>{t.key}</td>
                <td class="wrap">{t.value}</td>
                {writable && (
                  <td>
                    <button class="link danger" aria-label={`Remove tag ${t.key}`} onClick={() => run(() => onDelete(t.key))}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {writable && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (key.trim() === "") return;
            void run(async () => {
              await onSet(key.trim(), value);
              setKey("");
              setValue("");
            });
          }}
        >
          <label>
            Key <input name="tag-key" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Value <input name="tag-value" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Add tag</button>
        </form>
      )}
      {error !== null && <p class="error">{error}</p>}
    </div>
  );
}
