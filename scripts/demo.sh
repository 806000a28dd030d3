#!/usr/bin/env bash
# The main job: set up what is missing, then run the case study on the bundled sample,
# logging to ./mlruns, and build the slides.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run demo
