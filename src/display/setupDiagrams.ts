import { diagramSvg, type DiagramSpec } from "./diagram";

/** The three ways to run MLflow that the talk walks through. */
export type MlflowSetup = "local-files" | "local-server" | "remote";

const CLIENT = "#E8F0FE";
const SERVER = "#FEF3E0";
const DATABASE = "#E6F4EA";
const STORAGE = "#FCE8E6";

const SETUPS: Readonly<Record<MlflowSetup, DiagramSpec>> = {
  "local-files": {
    width: 1160,
    height: 300,
    title: "Setup 1: local files, no server",
    boxes: [
      { id: "client", x: 10, y: 80, w: 320, h: 140, title: "Notebook or script", lines: ["MLflow client or this library", "tracking URI ./mlruns"], fill: CLIENT },
      { id: "files", x: 460, y: 80, w: 300, h: 140, title: "./mlruns (folder)", lines: ["meta.yaml, params/,", "metrics/, tags/, artifacts/"], fill: STORAGE },
      { id: "ui", x: 890, y: 80, w: 260, h: 140, title: "mlflow ui", lines: ["on this machine", "http://127.0.0.1:5000"], fill: SERVER },
    ],
    arrows: [
      { from: "client", to: "files", label: "writes", labelDy: -24 },
      { from: "ui", to: "files", label: "reads", labelDy: -24 },
    ],
  },
  "local-server": {
    width: 1160,
    height: 400,
    title: "Setup 2: a tracking server with a local database",
    groups: [{ x: 380, y: 10, w: 770, h: 380, label: "one machine or a shared VM" }],
    boxes: [
      { id: "nb", x: 20, y: 60, w: 280, h: 110, title: "Notebook", lines: ["MLFLOW_TRACKING_URI=", "http://127.0.0.1:5000"], fill: CLIENT },
      { id: "ci", x: 20, y: 230, w: 280, h: 110, title: "Script or CI job", lines: ["same URI, over HTTP"], fill: CLIENT },
      { id: "server", x: 420, y: 140, w: 300, h: 130, title: "mlflow server", lines: ["--host 127.0.0.1", "--port 5000, web UI"], fill: SERVER },
      { id: "db", x: 820, y: 60, w: 310, h: 120, title: "SQLite mlflow.db", lines: ["runs, params, metrics,", "model registry"], fill: DATABASE },
      { id: "art", x: 820, y: 240, w: 310, h: 120, title: "./mlartifacts", lines: ["models, plots, files", "(proxied by the server)"], fill: STORAGE },
    ],
    arrows: [
      { from: "nb", to: "server", label: "REST", labelDy: -8 },
      { from: "ci", to: "server", label: "REST", labelDy: 8 },
      { from: "server", to: "db", label: "SQL" },
      { from: "server", to: "art", label: "files" },
    ],
  },
  remote: {
    width: 1160,
    height: 525,
    title: "Setup 3: a remote server on AWS: EC2, RDS PostgreSQL and S3",
    groups: [
      { x: 290, y: 10, w: 860, h: 505, label: "AWS account" },
      { x: 310, y: 50, w: 470, h: 190, label: "security group: 5000 from your network" },
      // The arrow from EC2 enters this group from above: its label goes below the box.
      { x: 310, y: 290, w: 470, h: 215, label: "security group: 5432 from the server", labelAtBottom: true },
    ],
    boxes: [
      { id: "client", x: 10, y: 95, w: 240, h: 125, title: "Laptop or CI", lines: ["tracking URI", "http://<server>:5000"], fill: CLIENT },
      { id: "ec2", x: 345, y: 95, w: 400, h: 125, title: "EC2 t2.micro", lines: ["mlflow server, port 5000", "instance role, no IAM user keys"], fill: SERVER },
      { id: "rds", x: 345, y: 335, w: 400, h: 125, title: "RDS PostgreSQL t4g.micro", lines: ["port 5432, run metadata", "no public access"], fill: DATABASE },
      { id: "s3", x: 860, y: 95, w: 270, h: 125, title: "S3 bucket", lines: ["artifacts: models,", "plots, files"], fill: STORAGE },
    ],
    arrows: [
      { from: "client", to: "ec2", label: ":5000", labelDy: -22 },
      { from: "ec2", to: "rds", label: ":5432", labelDx: 45 },
      { from: "ec2", to: "s3", label: "via the role", labelDy: -22 },
    ],
  },
};

/** The diagram of one of the talk's three MLflow setups, as inline SVG (see {@link diagramSvg}). */
export function setupDiagram(setup: MlflowSetup): string {
  const spec = SETUPS[setup];
  if (spec === undefined) throw new Error(`setupDiagram: unknown setup "${String(setup)}" (choose ${Object.keys(SETUPS).join(", ")})`);
  return diagramSvg(spec);
}

/** The specification behind {@link setupDiagram}, for tests that check its layout. */
export function setupDiagramSpec(setup: MlflowSetup): DiagramSpec {
  return SETUPS[setup];
}
