/**
 * Field-by-field comparison of the answers two servers gave to the same scenario. A call
 * is "equal" when its recorded outcome (result or MLflow error code) is the same; a
 * "documented exception" when every difference is explained by an entry of
 * `exceptions.ts` (each of which docs/decisions.md describes); otherwise a difference,
 * which fails the suite.
 */
import { COMPAT_EXCEPTIONS, type CompatException } from "./exceptions";

/** One recorded call: its name and outcome. */
export interface RecordedCall {
  readonly call: string;
  readonly result?: unknown;
  readonly error?: string;
  readonly detail?: string;
}

/** One differing leaf: its path and both values (as JSON text). */
export interface Difference {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

/** The outcome of comparing two recordings of one scenario. */
export interface CompatReport {
  readonly compared: number;
  readonly equal: number;
  /** Calls whose differences are all documented: call name and the exception ids used. */
  readonly excepted: ReadonlyArray<{ call: string; ids: string[] }>;
  /** Calls with undocumented differences. */
  readonly different: ReadonlyArray<{ call: string; differences: Difference[] }>;
}

const ABSENT = "<absent>";

function show(value: unknown): string {
  const text = value === undefined ? ABSENT : JSON.stringify(value);
  return text.length > 240 ? `${text.slice(0, 240)}...` : text;
}

/** Every leaf where `a` and `b` differ (absent keys count as differences). */
export function diffValues(a: unknown, b: unknown, path = ""): Difference[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [{ path: `${path}.length`, expected: String(a.length), actual: String(b.length) }, ...diffValues(a.slice(0, b.length), b.slice(0, a.length), path)];
    return a.flatMap((x, i) => diffValues(x, b[i], `${path}[${i}]`));
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  if (Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ path, expected: show(a), actual: show(b) }];
}

/**
 * Compares recordings call by call (they must name the same calls in the same order).
 * `exceptions` defaults to the documented list.
 */
export function compareRecordings(expected: readonly RecordedCall[], actual: readonly RecordedCall[], exceptions: readonly CompatException[] = COMPAT_EXCEPTIONS): CompatReport {
  const excepted: Array<{ call: string; ids: string[] }> = [];
  const different: Array<{ call: string; differences: Difference[] }> = [];
  let equal = 0;
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined || e.call !== a.call) {
      different.push({ call: e?.call ?? a?.call ?? `#${i}`, differences: [{ path: "call", expected: show(e?.call), actual: show(a?.call) }] });
      continue;
    }
    let left: unknown = e;
    let right: unknown = a;
    const used = new Set<string>();
    // Whole-value rewrites first (e.g. the order of keyed lists), then per-path explanations.
    for (const ex of exceptions) {
      if (ex.rewrite === undefined || !ex.calls.test(e.call)) continue;
      if (diffValues(left, right).length === 0) break;
      const [l, r] = [ex.rewrite(left), ex.rewrite(right)];
      if (diffValues(l, r).length < diffValues(left, right).length) used.add(ex.id);
      left = l;
      right = r;
    }
    const remaining = diffValues(left, right).filter((d) => {
      const ex = exceptions.find((x) => x.paths !== undefined && x.calls.test(e.call) && x.paths.test(d.path) && (x.values === undefined || x.values(d)));
      if (ex === undefined) return true;
      used.add(ex.id);
      return false;
    });
    if (remaining.length > 0) different.push({ call: e.call, differences: remaining });
    else if (used.size > 0) excepted.push({ call: e.call, ids: [...used] });
    else equal++;
  }
  return { compared: n, equal, excepted, different };
}

/** A readable account of a report's undocumented differences (for assertion messages). */
export function describeDifferences(report: CompatReport): string {
  return report.different
    .map((d) => `${d.call}\n${d.differences.slice(0, 8).map((x) => `    ${x.path}: MLflow ${x.expected} | ours ${x.actual}`).join("\n")}`)
    .join("\n");
}
