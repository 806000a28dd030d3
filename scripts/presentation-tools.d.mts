// Types of scripts/presentation-tools.mjs, for the TypeScript tests and benches that import it.

/** An executed notebook as JSON (only the fields the checks read). */
export interface NotebookJson {
  cells: Array<{
    cell_type: string;
    source: string | string[];
    metadata?: { demo?: { expect?: string; notes?: string; screenshot?: string }; slideshow?: { slide_type?: string }; tags?: string[] };
    outputs?: Array<Record<string, unknown>>;
    execution_count?: number | null;
  }>;
  metadata: Record<string, unknown>;
}

export const ROOT: string;
export const NOTEBOOKS_DIR: string;
export const EXECUTED_DIR: string;
export const SLIDES_DIR: string;
export const PYTHON: string;
export const JUPYTER_DATA_DIR: string;
export const KERNEL_DIR: string;
export const TSLAB_BIN: string;
export const APT_LINE: string;
export function listNotebooks(): string[];
export function absoluteTrackingUri(uri: string | undefined): string | undefined;
export function jupyterEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function missingTools(): string[];
export function ensureKernel(): string;
export function buildLibrary(): void;
export function cellErrorReport(stderr: string): string;
export function executeNotebook(
  notebook: string,
  options?: { timeoutSeconds?: number; env?: Record<string, string>; outputDir?: string; progress?: string },
): { ok: boolean; seconds: number; output: string; report: string };
export function checkExecuted(nb: NotebookJson): string[];
export function committedProblems(nb: NotebookJson): string[];
export function inlineAssets(html: string): string;
export function externalReferences(html: string): string[];
export function withNotesAndScreenshots(nb: NotebookJson, screenshotDir?: string): NotebookJson;
export function exportSlides(executed: string, options?: { outputDir?: string; screenshotDir?: string }): { output: string; bytes: number; seconds: number };
