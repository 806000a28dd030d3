/**
 * Who runs a trial: host, boot and process, recorded in the trial's system attributes when
 * heartbeats are on, so that a later worker on the same machine can tell at once that the
 * process is gone (killed, crashed) instead of waiting out the heartbeat's grace period.
 * Elsewhere (another machine, no `/proc`) only the heartbeat decides.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { JsonValue } from "../json";

/** The system attribute that holds a trial's {@link WorkerProcess}. */
export const WORKER_PROCESS_KEY = "worker_process";

/** A process, told apart from a later one that reuses its pid by its start time since boot. */
export interface WorkerProcess {
  readonly host: string;
  /** The kernel's boot id (`/proc/sys/kernel/random/boot_id`), null where unknown. */
  readonly boot: string | null;
  readonly pid: number;
  /** Clock ticks from boot to the process's start (`/proc/<pid>/stat`, field 22), null where unknown. */
  readonly start: number | null;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function startTicks(pid: number): number | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

let self: WorkerProcess | undefined;

/** This process. */
export function thisWorkerProcess(): WorkerProcess {
  self ??= { host: hostname(), boot: readOrNull("/proc/sys/kernel/random/boot_id")?.trim() ?? null, pid: process.pid, start: startTicks(process.pid) };
  return self;
}

/** The attribute value recording this process. */
export function workerProcessAttr(): JsonValue {
  const w = thisWorkerProcess();
  return { host: w.host, boot: w.boot, pid: w.pid, start: w.start };
}

/**
 * True only when `attr` names a process of this machine and boot that no longer runs (its pid
 * is free or now belongs to a process started later). False when unsure.
 */
export function workerProcessGone(attr: JsonValue | undefined): boolean {
  if (attr === null || typeof attr !== "object" || Array.isArray(attr)) return false;
  const me = thisWorkerProcess();
  const { host, boot, pid, start } = attr;
  if (host !== me.host || boot === null || boot !== me.boot || typeof pid !== "number" || typeof start !== "number") return false;
  if (pid === me.pid) return start !== me.start;
  const now = startTicks(pid);
  return now === null || now !== start;
}
