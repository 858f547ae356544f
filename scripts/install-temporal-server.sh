#!/usr/bin/env bash
# Resolves the Temporal server and its SQL schema tool for the cluster profile, and prints the folder that holds
# them on stdout (logs go to stderr): `server`, `temporal-sql-tool` and `schema/` (the module's SQL schemas).
# Built once with `go install` into .tools/temporal-server/; later runs reuse it. v1.29.1 is the server the
# Temporal CLI build embeds (install-temporal-cli.sh), so the Go module cache is shared; its go.mod has no
# `replace` directive, so `go install module@version` builds it as released.
set -euo pipefail

SERVER_VERSION="v1.29.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/temporal-server"
stamp="$dir/VERSION"

log() { printf 'install-temporal-server: %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_SERVER_DIR:-}" ]]; then
  if [[ -x "$TEMPORAL_SERVER_DIR/server" && -x "$TEMPORAL_SERVER_DIR/temporal-sql-tool" ]]; then
    echo "$TEMPORAL_SERVER_DIR"; exit 0
  fi
  log "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR has no server and temporal-sql-tool; unset it or build them there"
  exit 1
fi

if [[ -x "$dir/server" && -x "$dir/temporal-sql-tool" && -d "$dir/schema" && "$(cat "$stamp" 2>/dev/null)" == "$SERVER_VERSION" ]]; then
  echo "$dir"; exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is not installed: install Go (https://go.dev/dl/, 1.22 or later) and run this again,"
  log "or build go.temporal.io/server/cmd/server and cmd/tools/sql yourself and set TEMPORAL_SERVER_DIR."
  exit 1
fi

log "building the Temporal server $SERVER_VERSION with go install (a few minutes, once) ..."
mkdir -p "$dir"
started=$(date +%s)
GOBIN="$dir" GOFLAGS="-mod=mod" go install \
  "go.temporal.io/server/cmd/server@$SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION" >&2
mv "$dir/sql" "$dir/temporal-sql-tool"
# The schemas ship in the module; copy them so the tool's paths do not depend on the module cache.
module="$(GOFLAGS="-mod=mod" go env GOMODCACHE)/go.temporal.io/server@$SERVER_VERSION"
rm -rf "$dir/schema"
cp -r "$module/schema" "$dir/schema"
chmod -R u+w "$dir/schema"
echo "$SERVER_VERSION" > "$stamp"
log "built $dir/server in $(( $(date +%s) - started ))s"
echo "$dir"
