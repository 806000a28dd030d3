/**
 * The environment files MLflow writes next to a `python_function` model (`conda.yaml`,
 * `python_env.yaml`, `requirements.txt`), naming the versions that load it. We are not Python,
 * so instead of the running interpreter's versions we name the environment our tests load our
 * models in: Debian bookworm's Python 3.11 with its xgboost 1.7.4, and MLflow 2.17.2.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dumpYaml } from "../../yaml";
import type { FlavorConfig, PyfuncEntry } from "./modelFlavor";

/** The Python, pip and build tools of the environment we verify against (Debian bookworm). */
export const VERIFIED_PYTHON = { python: "3.11.2", pip: "23.0.1", setuptools: "66.1.1", wheel: "0.38.4" } as const;

const CONDA_FILE = "conda.yaml";
const PYTHON_ENV_FILE = "python_env.yaml";
const REQUIREMENTS_FILE = "requirements.txt";

/**
 * Writes the three environment files for `pyfunc` (with `mlflow==<mlflowVersion>`) into `dir` and returns the
 * `python_function` flavor configuration that points at them, as `mlflow.pyfunc.add_to_model` does.
 */
export function writePyfuncFlavor(dir: string, pyfunc: PyfuncEntry, mlflowVersion: string): FlavorConfig {
  const requirements = [`mlflow==${mlflowVersion}`, ...pyfunc.pipRequirements];
  writeFileSync(join(dir, REQUIREMENTS_FILE), requirements.join("\n"));
  writeFileSync(
    join(dir, CONDA_FILE),
    dumpYaml({
      channels: ["conda-forge"],
      dependencies: [`python=${VERIFIED_PYTHON.python}`, `pip<=${VERIFIED_PYTHON.pip}`, { pip: requirements }],
      name: "mlflow-env",
    }),
  );
  // MLflow writes this file with its keys in this order (not sorted).
  writeFileSync(
    join(dir, PYTHON_ENV_FILE),
    `python: ${VERIFIED_PYTHON.python}\nbuild_dependencies:\n- pip==${VERIFIED_PYTHON.pip}\n` +
      `- setuptools==${VERIFIED_PYTHON.setuptools}\n- wheel==${VERIFIED_PYTHON.wheel}\ndependencies:\n- -r ${REQUIREMENTS_FILE}\n`,
  );
  return {
    data: pyfunc.data,
    env: { conda: CONDA_FILE, virtualenv: PYTHON_ENV_FILE },
    loader_module: pyfunc.loaderModule,
    python_version: VERIFIED_PYTHON.python,
  };
}
