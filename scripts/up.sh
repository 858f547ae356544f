#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the main job (dev server + worker + gateway, or only the
# worker and gateway when TEMPORAL_ADDRESS points at an existing cluster).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
if [[ -z "${TEMPORAL_ADDRESS:-}" ]]; then
  export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/install-temporal-cli.sh)}"
fi
exec node --import tsx workers/main.ts "$@"
