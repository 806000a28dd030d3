#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: Debian packages for the Python
# peers, Jupyter, Chromium and PostgreSQL (when run as root and they are missing), then the
# npm dependencies from the lockfile, then builds the library.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  python3-xgboost python3-sklearn python3-optuna python3-pandas python3-numpy python3-scipy python3-yaml python3-onnx
  jupyter-nbconvert jupyter-client python3-ipykernel python3-nbclient python3-notebook jupyter-notebook
  chromium postgresql poppler-utils
  python3-boto3
)
# The peers beside the project list their own: the real MLflow 2.17.2 (interop tests, tests/compat),
# MLflow 3.6 (tests/mlflow3) and Optuna 4.9 (sampler cross-checks). python3-torch is left out: only
# Optuna 4.5's GP sampler needs it, and only the samplers benchmark runs that.
for peer in mlflow mlflow3 optuna4; do
  if [ -f "../shared/peers/$peer/debian-packages.txt" ]; then
    read -r -a peer_packages < "../shared/peers/$peer/debian-packages.txt"
    for p in "${peer_packages[@]}"; do
      [ "$p" = python3-torch ] || DEBIAN_PACKAGES+=("$p")
    done
  fi
done

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (run as root to install): sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
