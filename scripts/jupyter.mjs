#!/usr/bin/env node
// `npm run jupyter [-- --port N] [--no-build]`: builds the library, registers the project's tslab
// kernel (project-local, on JUPYTER_PATH only for this server) and starts Jupyter Notebook on
// 127.0.0.1 in notebooks/, printing the URL with its token. Ctrl-C stops it and its kernels.
import { parseArgs } from "node:util";
import { notebookServerMissing, startNotebookServer } from "./jupyter-tools.mjs";
import { buildLibrary, ensureKernel, missingTools } from "./presentation-tools.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`jupyter: --port must be a TCP port (1-65535), got "${values.port}"`);
  process.exit(2);
}
const missing = [...missingTools(), notebookServerMissing()].filter((m) => m !== null);
if (missing.length > 0) {
  console.error(`jupyter: cannot start Jupyter Notebook:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
if (!values["no-build"]) {
  console.log("jupyter: building the library (dist/)");
  buildLibrary();
}
ensureKernel();

let server;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\njupyter: stopping the notebook server and its kernels");
  await server?.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

try {
  server = await startNotebookServer({ port, log: (line) => console.error(`  [jupyter] ${line}`) });
} catch (e) {
  console.error(`jupyter: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
console.log(`\njupyter: the notebooks, with the project's TypeScript (tslab) kernel:\n\n    ${server.url}\n\nopen it in a browser on this machine; Ctrl-C stops the server.`);
const { code, signal } = await server.done;
if (!stopping) {
  console.error(`jupyter: the notebook server exited (${code ?? signal})`);
  process.exit(code ?? 1);
}
