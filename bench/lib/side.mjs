// A bench side kept alive between timed runs (the warm regime): a child process that answers
// each line written to its stdin with one JSON line on its stdout.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * @typedef {object} Side
 * @property {(line?: string) => Promise<Record<string, unknown>>} ask writes `line` (if any), resolves with the next JSON line
 * @property {() => Promise<void>} close ends stdin and waits for a clean exit
 */

/**
 * Starts `cmd args` with piped stdin/stdout (stderr passes through).
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} label names the side in errors
 * @returns {Side}
 */
export function startSide(cmd, args, label) {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.on("error", () => {}); // a side that died is reported by its exit below
  /** @type {string[]} */
  const lines = [];
  /** @type {{resolve: (v: Record<string, unknown>) => void, reject: (e: Error) => void}[]} */
  const waiting = [];
  let failure = /** @type {Error | null} */ (null);
  const deliver = () => {
    while (lines.length && waiting.length) waiting.shift()?.resolve(JSON.parse(/** @type {string} */ (lines.shift())));
    if (failure) while (waiting.length) waiting.shift()?.reject(failure);
  };
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("{")) lines.push(line);
    deliver();
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => {
    if (code !== 0) failure = new Error(`${label} exited with ${code ?? signal}`);
    else failure = new Error(`${label} exited before answering`);
    deliver();
    resolve(code);
  }));
  return {
    ask(line) {
      if (line !== undefined) child.stdin.write(line + "\n");
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        deliver();
      });
    },
    async close() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`${label} exited with ${code}`);
    },
  };
}
