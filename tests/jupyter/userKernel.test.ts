// `npm run notebooks -- --kernel-only --user`: the project's tslab kernel in the user's own Jupyter
// data dir, found by Jupyter's own `jupyter kernelspec list` with no JUPYTER_PATH (where editors
// that follow Jupyter's paths look too), and `--uninstall` removes it again, only when it is ours.
// Run with HOME set to a temporary folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { missingTools, PYTHON, ROOT, TSLAB_BIN } from "../../scripts/presentation-tools.mjs";

const missing = missingTools();
if (missing.length > 0) console.warn(`SKIPPED the user-level kernel spec: ${missing.join("; ")}`);

describe.skipIf(missing.length > 0)("the kernel registered for the user", () => {
  const home = mkdtempSync(join(tmpdir(), "jupyter-home-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    for (const key of ["JUPYTER_PATH", "JUPYTER_DATA_DIR", "XDG_DATA_HOME", "JUPYTER_CONFIG_DIR"]) delete e[key];
    return e;
  };
  const notebooks = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "scripts", "notebooks.mjs"), "--kernel-only", "--no-build", ...args], { cwd: ROOT, encoding: "utf8", env: env() });
  const kernelspecs = (): Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }> => {
    const r = spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { encoding: "utf8", env: env() });
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }> }).kernelspecs;
  };
  const userSpecDir = join(home, ".local", "share", "jupyter", "kernels", "tslab");

  it("installs where `jupyter kernelspec list` finds it, pointing at this project's tslab", () => {
    expect(kernelspecs()["tslab"]).toBeUndefined();
    const r = notebooks("--user");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`tslab kernel registered for this user in ${userSpecDir}`);
    const found = kernelspecs()["tslab"];
    expect(found?.resource_dir).toBe(userSpecDir);
    expect(found?.spec.argv).toEqual([TSLAB_BIN, "kernel", "--config-path", "{connection_file}"]);
    expect(existsSync(TSLAB_BIN)).toBe(true);
    expect(found?.spec.display_name).toBe("TypeScript (mlflow-demo-ts)");
  });

  it("--uninstall removes it; a second --uninstall finds nothing", () => {
    expect(notebooks("--user", "--uninstall").stdout).toContain("removed the project's tslab kernel");
    expect(kernelspecs()["tslab"]).toBeUndefined();
    expect(existsSync(userSpecDir)).toBe(false);
    const again = notebooks("--user", "--uninstall");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("nothing to remove");
  });

  it("another tslab's spec is reported when replaced and never removed by --uninstall", () => {
    const foreign = { argv: ["/opt/other/tslab", "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" };
    mkdirSync(userSpecDir, { recursive: true });
    writeFileSync(join(userSpecDir, "kernel.json"), JSON.stringify(foreign));
    const refused = notebooks("--user", "--uninstall");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("not this project's");
    expect(JSON.parse(readFileSync(join(userSpecDir, "kernel.json"), "utf8"))).toEqual(foreign);
    const replaced = notebooks("--user");
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain("replaced the user's tslab kernel, which ran /opt/other/tslab kernel");
    expect(kernelspecs()["tslab"]?.spec.argv[0]).toBe(TSLAB_BIN);
  });

  it("--user goes with --kernel-only", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "notebooks.mjs"), "--user"], { cwd: ROOT, encoding: "utf8", env: env() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--user and --uninstall go with --kernel-only");
  });
});
