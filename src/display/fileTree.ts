import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

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
