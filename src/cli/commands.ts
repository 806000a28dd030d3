import type { Command } from "./command";

/**
 * The sub-commands, loaded lazily so that `mlflow-demo-ts data` does not pay
 * for loading the tracking server. One line per command.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  data: async () => (await import("./dataCommand")).dataCommand,
  train: async () => (await import("./trainCommand")).trainCommand,
  runs: async () => (await import("./runsCommand")).runsCommand,
  server: async () => (await import("./serverCommand")).serverCommand,
  serve: async () => (await import("./serveCommand")).serveCommand,
  "export-onnx": async () => (await import("./exportOnnxCommand")).exportOnnxCommand,
  boost: async () => (await import("./boostCommand")).boostCommand,
  tune: async () => (await import("./tuneCommand")).tuneCommand,
};
