/**
 * Split evaluation as units of work: the requests of one tree level are written to a task list
 * (SPLIT_FIELDS each, after the task header and a request count), each tagged with a group; a
 * thread that claims a group evaluates its requests.
 */
import { EngineSetup, SPLIT_FIELDS, TASK_FIELDS, TASK_HEADER } from "./parallelProtocol";
import type { KernelExports } from "./wasmKernels";

/** A split request: offsets of the node's histogram, its feature list and its candidate block. */
export interface SplitSpec {
  readonly hist: number;
  readonly features: number;
  readonly count: number;
  readonly G: number;
  readonly H: number;
  readonly rootGain: number;
  readonly candidate: number;
}

/** Where the requests start in the task list. */
const SPECS_START = TASK_HEADER + 1;

/** Whether `n` requests fit one task list. */
export function fitsSplitTasks(n: number): boolean {
  return SPECS_START + n * SPLIT_FIELDS <= TASK_FIELDS;
}

/** Writes `specs`, request `i` in group `group[i]`, to `tasks`. */
export function writeSplitTasks(tasks: Float64Array, specs: readonly SplitSpec[], group: readonly number[]): void {
  tasks[TASK_HEADER] = specs.length;
  specs.forEach((sp, i) => tasks.set([sp.hist, sp.features, sp.count, sp.G, sp.H, sp.rootGain, sp.candidate, group[i] as number],
    SPECS_START + i * SPLIT_FIELDS));
}

/** Evaluates one split request with the kernels. */
export function evaluateSpec(sp: SplitSpec, e: EngineSetup, k: KernelExports): void {
  k.evaluateNode(sp.hist, sp.features, sp.count, e.cutPtrs, e.cutValues, e.minValues, e.hasMissing, sp.G, sp.H, sp.rootGain,
    e.splitParams, sp.candidate);
}

/** Evaluates the requests of `group` in `tasks`. */
export function evaluateGroup(tasks: Float64Array, group: number, e: EngineSetup, k: KernelExports): void {
  const n = tasks[TASK_HEADER] as number;
  for (let i = 0, o = SPECS_START; i < n; i++, o += SPLIT_FIELDS) {
    if (tasks[o + 7] !== group) continue;
    k.evaluateNode(tasks[o] as number, tasks[o + 1] as number, tasks[o + 2] as number, e.cutPtrs, e.cutValues, e.minValues,
      e.hasMissing, tasks[o + 3] as number, tasks[o + 4] as number, tasks[o + 5] as number, e.splitParams, tasks[o + 6] as number);
  }
}
