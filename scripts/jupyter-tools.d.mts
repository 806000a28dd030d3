// Types of scripts/jupyter-tools.mjs, for the TypeScript tests that import it.
import type { ChildProcess } from "node:child_process";

export const NOTEBOOK_APT_LINE: string;
export const KERNEL_NAME: string;
export function notebookServerMissing(): string | null;
/** A running Jupyter Notebook server. */
export interface NotebookServer {
  url: string;
  base: string;
  port: number;
  token: string;
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}
export function startNotebookServer(options?: {
  port?: number;
  notebookDir?: string;
  env?: Record<string, string>;
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<NotebookServer>;
export function userDataDir(env?: NodeJS.ProcessEnv): string;
export function kernelSpec(): { argv: string[]; display_name: string; language: string; metadata: Record<string, unknown> };
export function installUserKernel(env?: NodeJS.ProcessEnv): { dir: string; replaced: string[] | null };
export function uninstallUserKernel(env?: NodeJS.ProcessEnv): "removed" | "absent" | "not ours";
