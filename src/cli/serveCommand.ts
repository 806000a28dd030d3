import { parseArgs } from "node:util";
import type { Command } from "./command";

const USAGE = `usage: mlflow-demo-ts serve <model-uri> [--host HOST] [--port PORT] [--tracking-uri URI] [--flavor mlflow_demo_ts|onnx]

Serves a logged model with MLflow's scoring protocol, as \`mlflow models serve\` does:
POST /invocations with {"dataframe_split": ...}, {"dataframe_records": [...]} or {"instances": [...]},
answered with {"predictions": [...]}; GET /ping. Input is checked against the model's signature.
  <model-uri>         models:/<name>@<alias>, models:/<name>/<version|stage|latest>, models:/<model_id> (an MLflow 3
                      logged model, m-...) or runs:/<run_id>/<path> (with --flavor onnx also a .onnx file)
  --host HOST         address to bind (default 127.0.0.1)
  --port PORT         port (default 5001; 0 picks a free one)
  --tracking-uri URI  where the model registry is (default: MLFLOW_TRACKING_URI, else ./mlruns)
  --flavor FLAVOR     mlflow_demo_ts (default): our TypeScript pipeline; onnx: the model's ONNX graph
                      (its onnx flavor, else its pipeline exported now) run by onnxruntime`;

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
        flavor: { type: "string", default: "mlflow_demo_ts" },
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
    const flavor = values.flavor;
    if (uri === undefined || positionals.length > 1 || !Number.isInteger(port) || port < 0 || port > 65535 || (flavor !== "mlflow_demo_ts" && flavor !== "onnx")) {
      process.stderr.write(USAGE + "\n");
      return 2;
    }
    const { registerRestStores } = await import("../tracking-rest/register");
    registerRestStores();
    const { MlflowClient } = await import("../tracking/client");
    const { openStores } = await import("../tracking/store/storeRegistry");
    const { startScoringServer } = await import("../server/serving/scoringServer");
    const client = new MlflowClient(openStores(values["tracking-uri"], { mustExist: true }));
    let model: import("../server/serving/scoringServer").ScoringModel;
    let served = "";
    if (flavor === "onnx") {
      const { loadOnnxModel } = await import("../integration/onnxModelLoader");
      const onnx = await loadOnnxModel(uri, client);
      model = onnx;
      served = ` as ONNX (${onnx.source}, onnxruntime-web)`;
    } else {
      const { loadModel } = await import("../tracking/model/loadModel");
      const { estimatorFromJSON } = await import("../integration/modelLoader");
      model = await loadModel(uri, { fromJSON: estimatorFromJSON, client });
    }
    const running = await startScoringServer(model, values.host, port);
    process.stdout.write(`mlflow-demo-ts serve: ${uri}${served} listening at ${running.url} (POST /invocations, GET /ping)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await running.close();
    return 0;
  },
};
