import { ValueError } from "../errors";

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

/** The most boosting rounds a command accepts (XGBoost models rarely need a tenth of it). */
export const MAX_ROUNDS = 10_000;
/** The most trials `tune` accepts. */
export const MAX_TRIALS = 10_000;

/** An integer option within [min, max], or undefined when absent; a clear error otherwise. */
export function integerOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === "" || !Number.isInteger(v) || v < min || v > max) {
    throw new ValueError(`--${name} must be an integer from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, got "${text}"`);
  }
  return v;
}

/** A positive number option (e.g. seconds), or undefined when absent; a clear error otherwise. */
export function positiveOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === "" || !(v > 0) || !Number.isFinite(v)) throw new ValueError(`--${name} must be a positive number, got "${text}"`);
  return v;
}
