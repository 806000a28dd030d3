import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { escapeHtml } from "./html";

/** Options of {@link fileTree}. */
export interface FileTreeOptions {
  /** Deepest level listed (default 6). */
  readonly maxDepth?: number;
  /** Stop after this many lines (default 60). */
  readonly maxEntries?: number;
}

/**
 * A directory as an indented listing, directories first then files with their sizes:
 * how a notebook shows what a tracking store wrote to disk.
 */
export function fileTree(dir: string, options: FileTreeOptions = {}): string {
  const maxDepth = options.maxDepth ?? 6;
  const maxEntries = options.maxEntries ?? 60;
  const lines: string[] = [`${dir}/`];
  let truncated = 0;
  const walk = (path: string, depth: number): void => {
    const entries = readdirSync(path, { withFileTypes: true }).sort(
      (a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      if (lines.length > maxEntries) {
        truncated++;
        continue;
      }
      const full = join(path, e.name);
      const indent = "  ".repeat(depth);
      if (e.isDirectory()) {
        lines.push(`${indent}${e.name}/`);
        if (depth < maxDepth) walk(full, depth + 1);
      } else lines.push(`${indent}${e.name}  (${statSync(full).size} B)`);
    }
  };
  walk(dir, 1);
  if (truncated > 0) lines.push(`… ${truncated} more entries`);
  return lines.join("\n");
}

/** Options of {@link foldedTreeHtml}. */
export interface FoldedTreeOptions {
  /** File names listed per folder before "+ n more" (default 4). */
  readonly filesListed?: number;
  /** Sibling folders shown in full before "+ n more folders" (default 2). */
  readonly foldersShown?: number;
  /** A short note per file or folder name, shown after it (e.g. `{"meta.yaml": "run info"}`). */
  readonly notes?: Readonly<Record<string, string>>;
}

/** Long hexadecimal or numeric ids (run and experiment ids) shortened to their first 8 characters. */
function shortName(name: string): string {
  return /^[0-9a-f]{16,}$/i.test(name) ? `${name.slice(0, 8)}…` : name;
}

/** Files under `path`, at any depth. */
function fileCount(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) n += e.isDirectory() ? fileCount(join(path, e.name)) : 1;
  return n;
}

/**
 * A directory as a folded tree in HTML, for a slide: folders that hold only files become one
 * line listing a few of them, chains of single folders collapse into one path, long ids are
 * shortened, empty folders are named on one line, and sibling folders are shown fullest first,
 * the rest counted, not listed.
 */
export function foldedTreeHtml(dir: string, options: FoldedTreeOptions = {}): string {
  const filesListed = options.filesListed ?? 4;
  const foldersShown = options.foldersShown ?? 2;
  const notes = options.notes ?? {};
  const note = (name: string): string => (notes[name] === undefined ? "" : ` <span class="demo-tree-note">${escapeHtml(notes[name] as string)}</span>`);
  const listFiles = (files: string[]): string => {
    const shown = files.slice(0, filesListed).map((f) => `${escapeHtml(f)}${note(f)}`);
    if (files.length > filesListed) shown.push(`+ ${files.length - filesListed} more`);
    return shown.join(", ");
  };
  const render = (path: string, label: string): string => {
    let here = path;
    let name = label;
    // Collapse a chain of folders that each hold exactly one folder and nothing else.
    for (;;) {
      const entries = readdirSync(here, { withFileTypes: true });
      const only = entries[0];
      if (entries.length !== 1 || only === undefined || !only.isDirectory()) break;
      here = join(here, only.name);
      name += `/${shortName(only.name)}`;
    }
    const entries = readdirSync(here, { withFileTypes: true });
    const files = entries.filter((e) => !e.isDirectory()).map((e) => e.name).sort();
    const sized = entries.filter((e) => e.isDirectory()).map((e) => ({ name: e.name, files: fileCount(join(here, e.name)) }));
    const empty = sized.filter((f) => f.files === 0).map((f) => `${f.name}/`).sort();
    const folders = sized
      .filter((f) => f.files > 0)
      .sort((a, b) => b.files - a.files || a.name.localeCompare(b.name))
      .map((f) => f.name);
    const head = `<code>${escapeHtml(name)}/</code>${note(label)}`;
    const children: string[] = [];
    if (files.length > 0) children.push(folders.length === 0 ? "" : `<li>${listFiles(files)}</li>`);
    for (const f of folders.slice(0, foldersShown)) children.push(`<li>${render(join(here, f), shortName(f))}</li>`);
    if (folders.length > foldersShown) children.push(`<li>+ ${folders.length - foldersShown} more folders</li>`);
    if (empty.length > 0) children.push(`<li>empty: ${empty.map((e) => `<code>${escapeHtml(e)}</code>`).join(", ")}</li>`);
    const inline = folders.length === 0 && files.length > 0 ? `: ${listFiles(files)}` : "";
    const nested = children.filter((c) => c !== "");
    return `${head}${inline}${nested.length > 0 ? `<ul>${nested.join("")}</ul>` : ""}`;
  };
  return `<ul class="demo-tree"><li>${render(dir, basename(dir))}</li></ul>`;
}
