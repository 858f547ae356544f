#!/usr/bin/env bash
# `npm test`: installs what is missing (npm packages, the Temporal CLI and server, the Java test server, Schemathesis,
# PostgreSQL), checks types,
# lint and layering, then runs the whole mocha suite against both real Temporal servers. Without arguments
# the test files, and the tests in each, run in an order shuffled by a seed that is printed first
# (TEST_SEED=<seed> npm test repeats it), three files at a time (mocha --parallel; MOCHA_JOBS=<n> to change;
# three keep two cores busier than two do, since tests also wait on servers and real time),
# and the run checks that every documented error code, event and CLI exit code was asserted. Extra
# arguments go to mocha (e.g. a file, or --grep), which then runs them in one process.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
bash scripts/install-chromium.sh
bash scripts/install-postgres.sh
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/install-temporal-cli.sh)}"
export TEMPORAL_TEST_SERVER_PATH="${TEMPORAL_TEST_SERVER_PATH:-$(bash scripts/install-test-server.sh)}"
export TEMPORAL_SERVER_DIR="${TEMPORAL_SERVER_DIR:-$(bash scripts/install-temporal-server.sh)}"
export SCHEMATHESIS_PATH="${SCHEMATHESIS_PATH:-$(bash scripts/install-schemathesis.sh)}"
export STANDARDWEBHOOKS_PYTHON="${STANDARDWEBHOOKS_PYTHON:-$(bash scripts/install-standardwebhooks.sh)}"
npx tsc --noEmit -p .
npx eslint .
npm run --silent lint:deps
if [[ $# -eq 0 ]]; then
  export FRONTIER_REVIEW_FULL_SUITE=1
  export TEST_SEED="${TEST_SEED:-$((RANDOM * 32768 + RANDOM))}"
  echo "test order: seed ${TEST_SEED} (TEST_SEED=${TEST_SEED} npm test runs the same order)"
  mapfile -t files < <(npx tsx scripts/test-files.ts "$TEST_SEED")
  set -- --parallel --jobs "${MOCHA_JOBS:-3}" "${files[@]}"
fi
exec npx mocha "$@"
