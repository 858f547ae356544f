#!/usr/bin/env bash
# Installs Schemathesis (the OpenAPI fuzzer, from PyPI) into a virtual environment of its own,
# .tools/schemathesis/, with every package pinned by scripts/schemathesis/requirements.txt, and prints the
# path of its `st` command on stdout. Idempotent: reinstalls only when the requirements change.
# $SCHEMATHESIS_PATH, when set, is used as is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$root/scripts/schemathesis/requirements.txt"
# A virtual environment names its own path in its scripts, so it is made at the physical path (.tools may be a
# link into another checkout), and one that no longer runs (a moved or copied checkout) is made again.
mkdir -p "$root/.tools"
venv="$(cd "$root/.tools" && pwd -P)/schemathesis"
st="$venv/bin/st"
stamp="$venv/requirements.sha256"

log() { printf 'install-schemathesis: %s\n' "$*" >&2; }

if [[ -n "${SCHEMATHESIS_PATH:-}" ]]; then
  if [[ -x "$SCHEMATHESIS_PATH" ]]; then echo "$SCHEMATHESIS_PATH"; exit 0; fi
  log "SCHEMATHESIS_PATH=$SCHEMATHESIS_PATH is not an executable file"
  exit 1
fi

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$st" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]] && "$st" --version >/dev/null 2>&1; then
  echo "$st"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))'; then
  log "Schemathesis needs Python 3.9 or later with the venv module (Debian: apt-get install python3-venv)."
  exit 1
fi

log "installing Schemathesis from PyPI into .tools/schemathesis (once) ..."
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --requirement "$requirements" >&2
"$st" --version >&2
echo "$want" > "$stamp"
echo "$st"
