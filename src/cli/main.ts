import { registerRestStores } from "../tracking-rest/register";
import { COMMANDS } from "./commands";

const HELP = (names: string[]): string =>
  `usage: mlflow-demo-ts <command> [options]\n\ncommands: ${names.join(", ")}\n` +
  `run 'mlflow-demo-ts <command> --help' for a command's options\n`;

/**
 * Exits quietly when the reader of stdout or stderr goes away (`mlflow-demo-ts data | head -1`):
 * a closed pipe is the reader saying it has seen enough, not an error to print a stack for.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

/** CLI entry point: dispatches to a sub-command; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  // `MLFLOW_TRACKING_URI=http://...` (or `--tracking-uri`) opens the REST store.
  registerRestStores();
  const [name, ...rest] = argv;
  const names = Object.keys(COMMANDS);
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(HELP(names));
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`mlflow-demo-ts: unknown command "${name}"\n` + HELP(names));
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.summary}\n\n${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}
