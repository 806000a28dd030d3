/** Navigation inside the UI without reloads, and the current route as a hook (routes.ts parses). */
import { useEffect, useState } from "preact/hooks";
import { parseRoute, type Route } from "./routes";

export { fromMlflowHash, href, parseRoute, type Route } from "./routes";

const listeners = new Set<() => void>();

/** Goes to a URL inside the UI without reloading. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const l of listeners) l();
}

/** The current route; re-renders on navigation and on back/forward. */
export function useRoute(): Route {
  const read = (): Route => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = (): void => setRoute(read());
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** Click handler for in-app links: plain left clicks navigate without a reload. */
export function onLinkClick(ev: MouseEvent): void {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.("a");
  if (a === null || a === undefined || a.target !== "" || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/get-artifact") || url.pathname.startsWith("/model-versions/get-artifact") || url.pathname.startsWith("/ajax-api")) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
}
