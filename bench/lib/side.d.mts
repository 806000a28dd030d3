// Types of bench/lib/side.mjs, for the TypeScript tests that import it.

/** A bench side kept alive between timed runs (the warm regime). */
export interface Side {
  /** Writes `line` (if any) to the side's stdin, resolves with its next JSON line. */
  ask(line?: string): Promise<Record<string, unknown>>;
  /** Ends stdin and waits for a clean exit. */
  close(): Promise<void>;
}
/** Starts `cmd args` with piped stdin/stdout; `label` names the side in errors. */
export function startSide(cmd: string, args: string[], label: string): Side;
