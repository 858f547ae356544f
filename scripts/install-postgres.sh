#!/usr/bin/env bash
# Installs Debian's PostgreSQL (the cluster profile's database) when no server is under /usr/lib/postgresql.
# Idempotent: does nothing when one is there. Needs root (or sudo) to install. It is only installed: the
# cluster profile runs its own server on its own data directory (cluster/postgres.ts).
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-postgres: PostgreSQL is missing and apt-get is not available; install PostgreSQL by hand" >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-postgres: run as root (or with sudo) to apt-get install postgresql" >&2
    exit 1
  fi
fi
echo "install-postgres: installing Debian's postgresql with apt-get" >&2
"${sudo[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql >&2
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
