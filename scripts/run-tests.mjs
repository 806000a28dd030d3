#!/usr/bin/env node
// Runs vitest, then prints one plain closing line, "tests: N passed, N failed, N skipped",
// and exits with vitest's status. Arguments are passed on to vitest (e.g. a folder).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { tmpdir } from "node:os";

const out = join(tmpdir(), `vitest-results-${process.pid}.json`);
const run = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let code = run.status ?? 1;
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, "utf8"));
  rmSync(out);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that throws while vitest collects it fails with no test failed: name it, or the
  // closing line would read "0 failed" above a red run.
  const brokenFiles = (r.testResults ?? [])
    .filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"))
    .map((f) => relative(process.cwd(), f.name));
  const broken = brokenFiles.length ? `; ${brokenFiles.length} test file(s) failed outside any test: ${brokenFiles.join(", ")}` : "";
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped${broken}`);
  if (r.numTotalTests === 0) code = code || 1;
} else {
  console.log("\ntests: 0 passed, 1 failed (vitest wrote no results)");
  code = code || 1;
}
process.exit(code);
