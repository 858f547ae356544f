#!/usr/bin/env bash
# `npm run test:seeds -- N [SEED...]`: runs the whole suite (`npm test`) N times, one seed after another, and
# prints one line per seed: its seed, its counts and its minutes of mocha. The seeds are the ones given, then
# 440854504 (the order of the red run in ../shared/evidence), then fresh ones. Each run's output is kept in
# test-results/seed-<seed>.log. Exits non-zero when any run failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-10}"
shift || true
seeds=("$@" 440854504)
mkdir -p test-results
status=0
for ((i = 0; i < count; i++)); do
  seed="${seeds[$i]:-$((RANDOM * 32768 + RANDOM))}"
  log="test-results/seed-${seed}.log"
  TEST_SEED="$seed" npm test > "$log" 2>&1
  code=$?
  passing=$(grep -Eo '^ +[0-9]+ passing \([^)]*\)' "$log" | tail -1 | sed -E 's/^ +//')
  failing=$(grep -Eo '^ +[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  echo "seed ${seed}: ${passing:-no summary}, ${failing} failing, exit ${code}"
  if [[ $code -ne 0 ]]; then status=1; fi
done
exit "$status"
