/** Settings remembered per experiment in the browser (localStorage), as MLflow's UI does. */
import { useEffect, useState } from "preact/hooks";

function read<T>(key: string, initial: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? initial : ({ ...initial, ...(JSON.parse(raw) as object) } as T);
  } catch {
    return initial;
  }
}

/** A state object saved under `key` (reloaded when the key changes). */
export function useStored<T extends object>(key: string, initial: T): [T, (next: T) => void] {
  const [state, setState] = useState<{ key: string; value: T }>(() => ({ key, value: read(key, initial) }));
  const current = state.key === key ? state.value : read(key, initial);
  useEffect(() => {
    if (state.key !== key) setState({ key, value: read(key, initial) });
  }, [key]);
  const set = (next: T): void => {
    setState({ key, value: next });
    try {
      localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // private mode or full storage: the setting lasts for this page only
    }
  };
  return [current, set];
}
