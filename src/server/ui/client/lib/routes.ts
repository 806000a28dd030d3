/**
 * The UI's routes as data: path URLs our server answers (so a page can be linked,
 * reloaded and authorized by URL), and MLflow's own hash routes (`#/experiments/1/runs/<id>`,
 * `#/compare-runs?runs=[...]`, `#/models/<name>/versions/<v>`) mapped onto them.
 * No DOM here: the hooks are in router.ts.
 */
/** A parsed location. */
export type Route =
  | { readonly page: "experiments"; readonly experimentIds: readonly string[]; readonly view: "table" | "chart" | "models" }
  | { readonly page: "run"; readonly runId: string }
  | { readonly page: "experiment-by-name"; readonly name: string; readonly view: "table" | "chart" | "models" }
  | { readonly page: "compare"; readonly runIds: readonly string[]; readonly experimentName?: string; readonly limit?: number }
  | { readonly page: "models" }
  | { readonly page: "model"; readonly name: string }
  | { readonly page: "version"; readonly name: string; readonly version: string }
  | { readonly page: "not-found"; readonly path: string };

function listParam(value: string | null): string[] {
  if (value === null || value === "") return [];
  const v = value.trim();
  if (v.startsWith("[")) {
    try {
      return (JSON.parse(v) as unknown[]).map(String);
    } catch {
      return [];
    }
  }
  return v.split(",").filter((s) => s !== "");
}

/** The route of a path and query string. */
export function parseRoute(pathname: string, search: string): Route {
  const q = new URLSearchParams(search);
  const parts = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const view = (q.get("view") === "chart" ? "chart" : q.get("view") === "models" ? "models" : "table") as "table" | "chart" | "models";
  if (parts.length === 0) return { page: "experiments", experimentIds: [], view };
  const [head, a, b, c] = parts;
  if (head === "experiments" && a === undefined && q.get("name") !== null) return { page: "experiment-by-name", name: q.get("name") as string, view };
  if (head === "experiments" && a === undefined) return { page: "experiments", experimentIds: listParam(q.get("ids")), view };
  if (head === "experiments" && b === undefined) return { page: "experiments", experimentIds: [a as string], view };
  if (head === "experiments" && b === "runs" && c !== undefined) return { page: "run", runId: c };
  if (head === "runs" && a !== undefined) return { page: "run", runId: a };
  if ((head === "compare" || head === "compare-runs") && q.get("experiment") !== null) return { page: "compare", runIds: [], experimentName: q.get("experiment") as string, ...(q.get("limit") === null ? {} : { limit: Number(q.get("limit")) || 100 }) };
  if (head === "compare" || head === "compare-runs") return { page: "compare", runIds: listParam(q.get("runs")) };
  if (head === "compare-experiments") return { page: "experiments", experimentIds: listParam(q.get("experiments")), view };
  if (head === "models" && a === undefined) return { page: "models" };
  if (head === "models" && b === undefined) return { page: "model", name: a as string };
  if (head === "models" && b === "versions" && c !== undefined) return { page: "version", name: a as string, version: c };
  return { page: "not-found", path: pathname };
}

/** Our URL for an MLflow hash route (`#/experiments/1`), or null when the hash is not one. */
export function fromMlflowHash(hash: string): string | null {
  if (!hash.startsWith("#/")) return null;
  const [path, query] = hash.slice(1).split("?") as [string, string | undefined];
  const route = parseRoute(path, query ?? "");
  return route.page === "not-found" ? null : href(route);
}

/** The URL of a route. */
export function href(route: Route): string {
  switch (route.page) {
    case "experiments": {
      const q = route.view === "table" ? "" : `view=${route.view}`;
      if (route.experimentIds.length === 1) return `/experiments/${encodeURIComponent(route.experimentIds[0] as string)}${q === "" ? "" : "?" + q}`;
      if (route.experimentIds.length === 0) return `/${q === "" ? "" : "?" + q}`;
      return `/experiments?ids=${route.experimentIds.map(encodeURIComponent).join(",")}${q === "" ? "" : "&" + q}`;
    }
    case "experiment-by-name":
      return `/experiments?name=${encodeURIComponent(route.name)}${route.view === "table" ? "" : `&view=${route.view}`}`;
    case "run":
      return `/runs/${encodeURIComponent(route.runId)}`;
    case "compare":
      if (route.experimentName !== undefined) return `/compare?experiment=${encodeURIComponent(route.experimentName)}${route.limit === undefined ? "" : `&limit=${route.limit}`}`;
      return `/compare?runs=${route.runIds.map(encodeURIComponent).join(",")}`;
    case "models":
      return "/models";
    case "model":
      return `/models/${encodeURIComponent(route.name)}`;
    case "version":
      return `/models/${encodeURIComponent(route.name)}/versions/${encodeURIComponent(route.version)}`;
    case "not-found":
      return route.path;
  }
}
