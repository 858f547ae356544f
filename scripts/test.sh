#!/usr/bin/env bash
# `npm test`: installs what is missing (npm packages, the Temporal CLI, the Java test server), then runs the
# whole mocha suite against both real servers. Extra arguments go to mocha.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
bash scripts/install-chromium.sh
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/install-temporal-cli.sh)}"
export TEMPORAL_TEST_SERVER_PATH="${TEMPORAL_TEST_SERVER_PATH:-$(bash scripts/install-test-server.sh)}"
npx tsc --noEmit -p .
npx eslint .
npm run --silent lint:deps
if [[ $# -eq 0 ]]; then set -- 'test/**/*.test.ts'; fi
exec npx mocha "$@"
