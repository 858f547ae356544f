#!/usr/bin/env bash
# Resolves a `temporal` CLI binary and prints its path on stdout (logs go to stderr).
# Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the project-local install in .tools/temporal-cli/,
# and otherwise builds the CLI with `go install` into that folder (once; later runs reuse it).
# v1.5.1 is pinned because later CLI tags carry a `replace` directive in go.mod and cannot be go-installed.
set -euo pipefail

CLI_VERSION="v1.5.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_dir="$root/.tools/temporal-cli"
local_bin="$local_dir/bin/temporal"
stamp="$local_dir/VERSION"

log() { printf 'install-temporal-cli: %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  if [[ -x "$TEMPORAL_CLI_PATH" ]]; then echo "$TEMPORAL_CLI_PATH"; exit 0; fi
  log "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file; unset it or point it at a temporal binary"
  exit 1
fi

if on_path="$(command -v temporal 2>/dev/null)"; then echo "$on_path"; exit 0; fi

if [[ -x "$local_bin" && "$(cat "$stamp" 2>/dev/null)" == "$CLI_VERSION" ]]; then
  echo "$local_bin"; exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no temporal binary found and Go is not installed."
  log "Either install Go (https://go.dev/dl/, 1.22 or later) and run this again,"
  log "or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH to the binary."
  exit 1
fi

log "building the Temporal CLI $CLI_VERSION with go install (a few minutes, once) ..."
mkdir -p "$local_dir/bin"
started=$(date +%s)
GOBIN="$local_dir/bin" GOFLAGS="-mod=mod" go install "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION" >&2
echo "$CLI_VERSION" > "$stamp"
log "built $local_bin in $(( $(date +%s) - started ))s"
echo "$local_bin"
