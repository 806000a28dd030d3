#!/usr/bin/env bash
# The original Python project's remote setup on one machine: a private PostgreSQL cluster
# (runs and the Optuna study), an S3 service (s3rver) for artifacts, our tracking server
# with authentication in front of both, N tune workers sharing one study, the champion
# registered once. Everything it starts is stopped on exit, Ctrl-C included.
#   bash scripts/remote.sh --workers 2 --trials 12     (see --help)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ ! -f dist/index.js ]; then bash scripts/setup.sh >&2; fi
exec node scripts/remote.mjs "$@"
