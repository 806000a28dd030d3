// `bash scripts/remote.sh [options]`: the original Python project's remote setup on one machine.
// PostgreSQL (RDS there) holds the runs and the Optuna study, S3 (s3rver here) the artifacts,
// our tracking server (EC2 there) sits in front with authentication on, and N `tune`
// workers share one study and log every trial to the server; once they are done, the
// study's best model is trained, logged and registered as the champion, once.
// Everything started is stopped on exit, Ctrl-C included.
import { parseArgs } from "node:util";
import { Stack, stackUnavailable, withoutS3Credentials } from "./remote-stack.mjs";

const USAGE = `usage: bash scripts/remote.sh [--workers 2] [--trials 12] [--rounds N] [--csv PATH] [--direct]
                             [--port 0] [--study-name NAME] [--keep] [--json]
  --workers N       tune processes sharing one PostgreSQL study (default 2)
  --trials N        trials in all, split between the workers (default 12)
  --rounds N        boosting rounds per trial (default: tune's 300)
  --csv PATH        the data (default: OLX_CSV, else the bundled sample)
  --direct          clients write artifacts straight to S3 (server --no-serve-artifacts
                    --default-artifact-root s3://...), as the original project's command;
                    default: the server proxies artifacts and only it holds S3 credentials
  --port N          the tracking server's port (default: a free one)
  --study-name NAME the Optuna study and MLflow experiment (default remote-hyper-opt)
  --keep            keep everything running afterwards (browse the UI) until Ctrl-C
  --json            print one JSON summary as the last line`;

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    trials: { type: "string", default: "12" },
    rounds: { type: "string" },
    csv: { type: "string" },
    direct: { type: "boolean", default: false },
    port: { type: "string", default: "0" },
    "study-name": { type: "string", default: "remote-hyper-opt" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const workers = Number(values.workers);
const trials = Number(values.trials);
if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a positive integer, got '${values.workers}'`);
if (!Number.isInteger(trials) || trials < workers) throw new Error(`--trials must be an integer of at least --workers (${workers}), got '${values.trials}'`);
const unavailable = stackUnavailable();
if (unavailable !== null) {
  console.error(`remote: cannot start the setup: ${unavailable}`);
  process.exit(2);
}

const say = (line) => process.stderr.write(line + "\n");
const stack = new Stack({ log: say });
const studyName = values["study-name"];

async function main() {
  say(`remote: starting PostgreSQL, S3 and the tracking server in ${stack.dir}`);
  const pg = await stack.postgres();
  const trackingDb = pg.createDatabase("mlflow");
  const studyDb = pg.createDatabase("optuna");
  const s3 = await stack.s3(["mlflow"]);
  const artifactRoot = "s3://mlflow/artifacts";
  const auth = stack.authConfig();
  const serverEnv = { ...process.env, ...s3.env };
  const serverArgs = ["--backend-store-uri", trackingDb, "--auth-config", auth.path, "--host", "127.0.0.1"];
  serverArgs.push(...(values.direct ? ["--no-serve-artifacts", "--default-artifact-root", artifactRoot] : ["--artifacts-destination", artifactRoot]));
  const server = await stack.trackingServer(serverArgs, { env: serverEnv, port: Number(values.port) });

  // Proxied, the workers hold no S3 credentials at all; direct, they write to S3 themselves.
  const base = { ...(values.direct ? { ...process.env, ...s3.env } : withoutS3Credentials(process.env)), MLFLOW_TRACKING_URI: server.url };
  const workerEnv = { ...base, MLFLOW_TRACKING_USERNAME: auth.users.tuner.username, MLFLOW_TRACKING_PASSWORD: auth.users.tuner.password };
  const tuneArgs = ["--storage", studyDb, "--study-name", studyName, ...(values.rounds ? ["--rounds", values.rounds] : []), ...(values.csv ? ["--csv", values.csv] : [])];
  say(`remote: ${workers} tune worker(s), ${trials} trials in all, study '${studyName}' in PostgreSQL, runs to ${server.url}`);
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const share = Math.floor(trials / workers) + (i < trials % workers ? 1 : 0);
      return stack.runCli(["tune", ...tuneArgs, "--trials", String(share), "--no-champion"], { env: workerEnv, prefix: `[worker ${i + 1}] ` });
    }),
  );
  const workersSeconds = (Date.now() - started) / 1000;
  const failed = results.findIndex((r) => r.code !== 0);
  if (failed >= 0) throw new Error(`worker ${failed + 1} failed (${results[failed].signal ?? results[failed].code})`);

  say("remote: registering the study's best model as the champion (once)");
  const champion = await stack.runCli(["tune", ...tuneArgs, "--trials", "0", "--json"], { env: workerEnv, prefix: "[champion] " });
  if (champion.code !== 0) throw new Error(`the champion step failed (${champion.signal ?? champion.code})`);
  const result = JSON.parse(champion.output.trim().split("\n").pop());

  const summary = {
    ...(await summarize(server.url, auth.users.admin, result, workersSeconds)),
    postgres_port: pg.port,
    s3_endpoint: s3.endpoint,
    folders: [stack.dir, pg.dir],
  };
  say(
    `\nremote: ${summary.runs} runs in experiment '${studyName}' (${summary.trials} trials, numbers unique: ${summary.duplicate_trial_numbers === 0}), ` +
      `champion ${summary.registered_model} version ${summary.champion_version} at ${summary.champion_source}, ${workersSeconds.toFixed(1)} s for the trials`,
  );
  if (values.json) console.log(JSON.stringify(summary));
  if (values.keep) {
    say(`\nremote: everything keeps running until Ctrl-C:\n  UI and API  ${server.url}  (user ${auth.users.admin.username}, password ${auth.users.admin.password})\n` +
      `  PostgreSQL  ${trackingDb.replace(/:[^:@]+@/, ":***@")}\n  S3          ${s3.endpoint} (bucket mlflow)`);
    // Until Ctrl-C (the stack's signal handler stops everything) or the server's own end.
    const alive = setInterval(() => undefined, 1 << 30);
    await new Promise((resolve) => server.process.once("exit", resolve));
    clearInterval(alive);
    throw new Error("the tracking server stopped");
  }
}

/** Reads back what the workers logged, as the admin: runs per trial number and the champion alias. */
async function summarize(url, admin, result, workersSeconds) {
  const headers = { Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}`, "Content-Type": "application/json" };
  const call = async (method, path, body) => {
    const r = await fetch(`${url}/api/2.0/mlflow/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const experiment = (await call("GET", `experiments/get-by-name?experiment_name=${encodeURIComponent(studyName)}`)).experiment;
  const runs = [];
  let token;
  do {
    const page = await call("POST", "runs/search", { experiment_ids: [experiment.experiment_id], max_results: 1000, ...(token ? { page_token: token } : {}) });
    runs.push(...(page.runs ?? []));
    token = page.next_page_token;
  } while (token);
  const numbers = runs.map((r) => (r.data.tags ?? []).find((t) => t.key === "number")?.value).filter((n) => n !== undefined);
  const modelName = "house_pricing_xgboost_model";
  const version = (await call("GET", `registered-models/alias?name=${modelName}&alias=champion`)).model_version;
  const versions = (await call("GET", `model-versions/search?filter=${encodeURIComponent(`name='${modelName}'`)}`)).model_versions ?? [];
  return {
    server: url,
    workers,
    trials: result.n_trials,
    runs: runs.length,
    trial_runs: numbers.length,
    duplicate_trial_numbers: numbers.length - new Set(numbers).size,
    registered_model: modelName,
    model_versions: versions.length,
    champion_version: version.version,
    champion_source: version.source,
    best_value: result.best_value,
    workers_seconds: workersSeconds,
    direct: values.direct,
  };
}

main()
  .catch((err) => {
    say(`remote: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => stack.stop());
