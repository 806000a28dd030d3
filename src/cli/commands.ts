import type { Command } from "./command";

/**
 * The sub-commands, loaded lazily so that `mlflow-demo-ts data` does not pay
 * for loading the tracking server. One line per command.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  data: async () => (await import("./dataCommand")).dataCommand,
  runs: async () => (await import("./runsCommand")).runsCommand,
};
