/** One CLI sub-command: a thin shell over the library. */
export interface Command {
  /** What `mlflow-demo-ts help` shows for it, one line. */
  readonly summary: string;
  /** Usage line(s), shown on `--help` and on bad arguments. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** Prints one JSON object as the last line of output (the `--json` contract). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}
