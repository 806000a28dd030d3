import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { printJsonLine, type Command } from "./command";

const USAGE = `usage: mlflow-demo-ts export-onnx <model-uri> --out FILE [--tracking-uri URI] [--json]

Writes a logged model's whole pipeline (preprocessor and model) as one ONNX file: its onnx
flavor when it was logged with one, else exported now from its saved JSON. One graph input per
raw column, named as the column (double or string, shape [N]; NaN or "" is missing); output
"variable", float [N, 1]. k-NN models have no ONNX export.
  <model-uri>         models:/<name>@<alias>, models:/<name>/<version|stage|latest> or runs:/<run_id>/<path>
  --out FILE          where to write the .onnx file
  --tracking-uri URI  where the model registry is (default: MLFLOW_TRACKING_URI, else ./mlruns)
  --json              print one JSON object as the last line`;

/** `mlflow-demo-ts export-onnx`: a logged model as an ONNX file. */
export const exportOnnxCommand: Command = {
  summary: "write a logged model's whole pipeline as one ONNX file",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        "tracking-uri": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const uri = positionals[0];
    if (uri === undefined || positionals.length > 1 || values.out === undefined) {
      process.stderr.write(USAGE + "\n");
      return 2;
    }
    const { registerRestStores } = await import("../tracking-rest/register");
    registerRestStores();
    const { MlflowClient } = await import("../tracking/client");
    const { modelAsOnnx } = await import("../integration/onnxModelLoader");
    const { loadOnnxPredictor } = await import("../onnx/runtime");
    const { MissingDependencyError } = await import("../util/optionalDependency");
    const { bytes, source } = await modelAsOnnx(uri, new MlflowClient(values["tracking-uri"]));
    writeFileSync(values.out, bytes);
    // Opened once by onnxruntime, so a file that would not run is reported now, not at serving time;
    // onnxruntime-web is optional: without it the file is written unchecked, and we say so.
    let opened: Awaited<ReturnType<typeof loadOnnxPredictor>>["inputs"] | null = null;
    let unchecked = "";
    try {
      const predictor = await loadOnnxPredictor(bytes);
      opened = predictor.inputs;
      await predictor.close();
    } catch (err) {
      if (!(err instanceof MissingDependencyError)) throw err;
      unchecked = `not opened with onnxruntime: ${err.installCommand} to check it`;
    }
    const inputs = (opened ?? []).map((i) => `${i.name} (${i.kind === "number" ? "double" : "string"})`);
    if (values.json) printJsonLine({ model_uri: uri, out: values.out, bytes: bytes.length, source, inputs: opened });
    else process.stdout.write(`mlflow-demo-ts export-onnx: ${uri} -> ${values.out} (${bytes.length} bytes, ${source})\n${opened === null ? unchecked : `inputs: ${inputs.join(", ")}`}\noutput: variable (float, [N, 1])\n`);
    return 0;
  },
};
