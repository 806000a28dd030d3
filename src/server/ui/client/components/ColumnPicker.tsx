/** The runs table's column picker: attributes, metrics, params and tags, each shown or hidden; a metric can be pinned as the key metric. */
import { useState } from "preact/hooks";
import { columnId, type ColumnKey } from "../lib/runRows";

/** Props of {@link ColumnPicker}. */
export interface ColumnPickerProps {
  readonly all: readonly ColumnKey[];
  readonly hidden: ReadonlySet<string>;
  readonly keyMetric: string | null;
  readonly onChange: (hidden: Set<string>) => void;
  readonly onPin: (metric: string | null) => void;
}

const SECTIONS: ReadonlyArray<[ColumnKey["type"], string]> = [
  ["attribute", "Attributes"],
  ["metric", "Metrics"],
  ["param", "Parameters"],
  ["tag", "Tags"],
];

/** A button that opens a panel of checkboxes. */
export function ColumnPicker({ all, hidden, keyMetric, onChange, onPin }: ColumnPickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const set = (ids: string[], show: boolean): void => {
    const next = new Set(hidden);
    for (const id of ids) {
      if (show) next.delete(id);
      else next.add(id);
    }
    onChange(next);
  };
  const shownCount = all.filter((c) => !hidden.has(columnId(c))).length;
  return (
    <div class="column-picker">
      <button id="columns-button" aria-expanded={open} aria-controls="columns-panel" onClick={() => setOpen(!open)}>
        Columns ({shownCount}/{all.length})
      </button>
      {open && (
        <div class="popover" id="columns-panel" role="dialog" aria-label="Columns">
          <label class="visually-hidden" for="column-search">Search columns</label>
          <input id="column-search" type="search" placeholder="Search columns" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
          {SECTIONS.map(([type, title]) => {
            const cols = all.filter((c) => c.type === type && c.key.toLowerCase().includes(query.toLowerCase()));
            if (cols.length === 0) return null;
            const ids = cols.map(columnId);
            return (
              <fieldset key={type}>
                <legend>
                  {title}{" "}
                  <button class="link" onClick={() => set(ids, true)}>all</button> / <button class="link" onClick={() => set(ids, false)}>none</button>
                </legend>
                {cols.map((c) => {
                  const id = columnId(c);
                  const locked = c.type === "attribute" && c.key === "Run Name";
                  return (
                    <div class="column-option" key={id}>
                      <label>
                        <input type="checkbox" data-column={id} disabled={locked} checked={!hidden.has(id)} onChange={(e) => set([id], (e.target as HTMLInputElement).checked)} /> {c.key}
                      </label>
                      {c.type === "metric" && (
                        <button class={`link pin ${keyMetric === c.key ? "pinned" : ""}`} aria-pressed={keyMetric === c.key} data-pin={c.key} onClick={() => onPin(keyMetric === c.key ? null : c.key)}>
                          {keyMetric === c.key ? "unpin" : "pin"}
                        </button>
                      )}
                    </div>
                  );
                })}
              </fieldset>
            );
          })}
          <button class="close" onClick={() => setOpen(false)}>Done</button>
        </div>
      )}
    </div>
  );
}
