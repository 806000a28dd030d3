import { parseArgs } from "node:util";
import type { Command } from "./command";

const USAGE = `usage: mlflow-demo-ts serve <model-uri> [--host HOST] [--port PORT] [--tracking-uri URI]

Serves a logged model with MLflow's scoring protocol, as \`mlflow models serve\` does:
POST /invocations with {"dataframe_split": ...}, {"dataframe_records": [...]} or {"instances": [...]},
answered with {"predictions": [...]}; GET /ping. Input is checked against the model's signature.
  <model-uri>         models:/<name>@<alias>, models:/<name>/<version|stage|latest> or runs:/<run_id>/<path>
  --host HOST         address to bind (default 127.0.0.1)
  --port PORT         port (default 5001; 0 picks a free one)
  --tracking-uri URI  where the model registry is (default: MLFLOW_TRACKING_URI, else ./mlruns)`;

/** `mlflow-demo-ts serve`: a scoring server for a registered or logged model. */
export const serveCommand: Command = {
  summary: "serve a logged model over HTTP with MLflow's scoring protocol",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "5001" },
        "tracking-uri": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const uri = positionals[0];
    const port = Number(values.port);
    if (uri === undefined || positionals.length > 1 || !Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(USAGE + "\n");
      return 2;
    }
    const { registerRestStores } = await import("../tracking-rest/register");
    registerRestStores();
    const { MlflowClient } = await import("../tracking/client");
    const { loadModel } = await import("../tracking/model/loadModel");
    const { estimatorFromJSON } = await import("../integration/modelLoader");
    const { startScoringServer } = await import("../server/serving/scoringServer");
    const client = new MlflowClient(values["tracking-uri"]);
    const model = await loadModel(uri, { fromJSON: estimatorFromJSON, client });
    const running = await startScoringServer(model, values.host, port);
    process.stdout.write(`mlflow-demo-ts serve: ${uri} listening at ${running.url} (POST /invocations, GET /ping)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await running.close();
    return 0;
  },
};
