import { parseArgs } from "node:util";
import type { Command } from "./command";

const USAGE = `usage: mlflow-demo-ts server [--backend-store-uri URI] [--artifacts-destination DIR|s3://BUCKET/PREFIX]
                             [--default-artifact-root URI] [--host HOST] [--port PORT]
                             [--auth-config FILE] [--no-serve-artifacts] [--max-body-mb N]

Runs an MLflow-compatible tracking server (REST API 2.0, artifact proxy, web UI, /health).
  --backend-store-uri URI      sqlite:///mlruns.db (default), postgresql://user:pw@host:port/db, or a ./mlruns path
  --artifacts-destination DIR  where proxied artifacts are stored (default ./mlartifacts), or s3://BUCKET/PREFIX
                               (AWS credentials from the SDK's default chain: environment, profile, instance role;
                               MLFLOW_S3_ENDPOINT_URL for an S3-compatible service; clients never see them)
  --default-artifact-root URI  artifact location of new experiments (default mlflow-artifacts:/ when serving
                               artifacts, else the destination); with --no-serve-artifacts and s3://BUCKET/PREFIX,
                               clients write straight to S3 with their own credentials
  --host HOST                  address to bind (default 127.0.0.1); other than loopback requires --auth-config
  --port PORT                  port (default 5000; 0 picks a free one)
  --auth-config FILE           JSON users with passwords/tokens and per-experiment READ/WRITE permissions
  --no-serve-artifacts         do not proxy artifacts; runs get file: artifact URIs under the destination
  --max-body-mb N              largest JSON request body in MiB (default 16)`;

/** `mlflow-demo-ts server`: the tracking server. */
export const serverCommand: Command = {
  summary: "run an MLflow-compatible tracking server (REST API, artifacts, web UI)",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        "backend-store-uri": { type: "string", default: "sqlite:///mlruns.db" },
        "artifacts-destination": { type: "string", default: "./mlartifacts" },
        "default-artifact-root": { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "5000" },
        "auth-config": { type: "string" },
        "no-serve-artifacts": { type: "boolean", default: false },
        "max-body-mb": { type: "string", default: "16" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const port = Number(values.port);
    const maxBodyMb = Number(values["max-body-mb"]);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`mlflow-demo-ts server: --port must be an integer in 0..65535, got '${values.port}'\n`);
      return 2;
    }
    if (!(maxBodyMb > 0)) {
      process.stderr.write(`mlflow-demo-ts server: --max-body-mb must be positive, got '${values["max-body-mb"]}'\n`);
      return 2;
    }
    const { isLoopback, loadAuthConfig } = await import("../server/auth");
    const host = values.host;
    if (values["auth-config"] === undefined && !isLoopback(host)) {
      process.stderr.write(
        `mlflow-demo-ts server: binding to '${host}' exposes the server beyond this machine; pass --auth-config FILE ` +
          `(users with passwords or tokens and per-experiment permissions) or bind to 127.0.0.1.\n`,
      );
      return 2;
    }
    const auth = values["auth-config"] === undefined ? null : loadAuthConfig(values["auth-config"]);
    const destination = values["artifacts-destination"];
    const defaultRoot = values["default-artifact-root"]?.replace(/\/+$/, "");
    const { checkArtifactLocations } = await import("../server/checkArtifactLocations");
    const problem = checkArtifactLocations({ destination, defaultRoot }, (warning) => process.stderr.write(`[server] ${warning}\n`));
    if (problem !== null) {
      process.stderr.write(`mlflow-demo-ts server: ${problem}\n`);
      return 2;
    }
    const { openServerStores } = await import("../server/openServerStores");
    const { startTrackingServer } = await import("../server/app");
    const { createUiPages } = await import("../server/ui/pages");
    const serveArtifacts = !values["no-serve-artifacts"];
    const stores = await openServerStores(values["backend-store-uri"], destination, serveArtifacts, defaultRoot);
    const running = await startTrackingServer(
      {
        tracking: stores.tracking,
        registry: stores.registry,
        artifactsDestination: serveArtifacts ? destination : null,
        directArtifactRoot: defaultRoot !== undefined && /^(s3|file):/i.test(defaultRoot) ? defaultRoot : destination,
        storeArtifactRoot: stores.fileStoreRoot,
        auth,
        maxBodyBytes: Math.round(maxBodyMb * 1024 * 1024),
        pages: createUiPages(),
      },
      host,
      port,
    );
    process.stdout.write(
      `mlflow-demo-ts server listening at ${running.url} (backend ${values["backend-store-uri"].replace(/:\/\/([^:/@]*):[^@/]*@/, "://$1:***@")}, ` +
        `artifacts ${serveArtifacts ? `proxied to ${destination}` : "not proxied"}${defaultRoot === undefined ? "" : `, default root ${defaultRoot}`}, auth ${auth === null ? "off" : "on"})\n`,
    );
    process.stdout.write(`  web UI: ${running.url}/   (MLFLOW_TRACKING_URI=${running.url})\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await running.close();
    await stores.close();
    return 0;
  },
};
