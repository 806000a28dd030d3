/**
 * The MLflow filter string input, with completion of metric, param, tag and attribute
 * keys (an ARIA combobox: arrows choose, Enter or Tab accepts, Escape closes). Enter
 * without an open list runs the search.
 */
import { useRef, useState } from "preact/hooks";
import { applyCompletion, completions, tokenAt, type Token } from "../lib/filterCompletion";

/** Props of {@link FilterBox}. */
export interface FilterBoxProps {
  readonly value: string;
  readonly keys: { metrics: readonly string[]; params: readonly string[]; tags: readonly string[] };
  readonly onSearch: (filter: string) => void;
}

/** The input. */
export function FilterBox({ value, keys, onSearch }: FilterBoxProps) {
  const [draft, setDraft] = useState(value);
  const [options, setOptions] = useState<string[]>([]);
  const [active, setActive] = useState(0);
  const token = useRef<Token | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [lastValue, setLastValue] = useState(value);
  if (value !== lastValue) {
    setLastValue(value);
    setDraft(value);
  }
  const suggest = (text: string, cursor: number): void => {
    const t = tokenAt(text, cursor);
    token.current = t;
    setOptions(t === null || t.text === "" ? [] : completions(t, keys));
    setActive(0);
  };
  const accept = (choice: string): void => {
    if (token.current === null) return;
    const { value: next, cursor } = applyCompletion(draft, token.current, choice);
    // The caret moves now, not in a later frame: keys typed meanwhile must land after the completion.
    const el = input.current;
    if (el !== null) {
      el.value = next;
      el.focus();
      el.setSelectionRange(cursor, cursor);
    }
    setDraft(next);
    setOptions([]);
  };
  return (
    <form
      class="filter-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setOptions([]);
        onSearch(draft.trim());
      }}
    >
      <label class="visually-hidden" for="filter-input">Filter runs (MLflow filter string)</label>
      <div class="combo">
        <input
          ref={input}
          id="filter-input"
          name="filter"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={options.length > 0}
          aria-controls="filter-options"
          aria-activedescendant={options.length > 0 ? `filter-option-${active}` : undefined}
          autocomplete="off"
          spellcheck={false}
          placeholder="metrics.rmse < 1 and params.model = 'tree'"
          value={draft}
          onInput={(e) => {
            const t = e.target as HTMLInputElement;
            setDraft(t.value);
            suggest(t.value, t.selectionStart ?? t.value.length);
          }}
          onKeyDown={(e) => {
            if (options.length === 0) return;
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => (a + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
            } else if (e.key === "Enter" || e.key === "Tab") {
              e.preventDefault();
              accept(options[active] as string);
            } else if (e.key === "Escape") setOptions([]);
          }}
          onBlur={() => setTimeout(() => setOptions([]), 150)}
        />
        {options.length > 0 && (
          <ul id="filter-options" role="listbox" aria-label="Filter keys">
            {options.map((o, i) => (
              <li
                key={o}
                id={`filter-option-${i}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? "active" : ""}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(o);
                }}
              >
                {o}
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="submit" class="primary">Search</button>
      {draft !== "" && (
        <button
          type="button"
          onClick={() => {
            setDraft("");
            onSearch("");
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}
