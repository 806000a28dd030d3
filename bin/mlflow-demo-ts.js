#!/usr/bin/env node
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const entry = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(entry)) {
  console.error("mlflow-demo-ts: the library is not built; run `npm run build` in " + path.join(__dirname, ".."));
  process.exit(1);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`mlflow-demo-ts: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
