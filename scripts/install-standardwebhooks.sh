#!/usr/bin/env bash
# Installs Python's Standard Webhooks library (`standardwebhooks`, from PyPI) into a virtual environment of its
# own, .tools/standardwebhooks/, pinned by scripts/standardwebhooks/requirements.txt, and prints the path of its
# `python` on stdout: the Python that runs examples/callback_receiver.py. Idempotent: reinstalls only when the
# requirements change. $STANDARDWEBHOOKS_PYTHON, when set, is used as is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$root/scripts/standardwebhooks/requirements.txt"
# A virtual environment names its own path in its scripts, so it is made at the physical path (.tools may be a
# link into another checkout), and one that no longer runs (a moved or copied checkout) is made again.
mkdir -p "$root/.tools"
venv="$(cd "$root/.tools" && pwd -P)/standardwebhooks"
python="$venv/bin/python"
stamp="$venv/requirements.sha256"

log() { printf 'install-standardwebhooks: %s\n' "$*" >&2; }

if [[ -n "${STANDARDWEBHOOKS_PYTHON:-}" ]]; then
  if [[ -x "$STANDARDWEBHOOKS_PYTHON" ]]; then echo "$STANDARDWEBHOOKS_PYTHON"; exit 0; fi
  log "STANDARDWEBHOOKS_PYTHON=$STANDARDWEBHOOKS_PYTHON is not an executable file"
  exit 1
fi

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$python" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]] \
  && "$python" -c 'import standardwebhooks' >/dev/null 2>&1; then
  echo "$python"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))'; then
  log "the Python callback example needs Python 3.9 or later with the venv module (Debian: apt-get install python3-venv)."
  exit 1
fi

log "installing standardwebhooks from PyPI into .tools/standardwebhooks (once) ..."
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --requirement "$requirements" >&2
"$python" -c 'import standardwebhooks; print("standardwebhooks", standardwebhooks.__version__)' >&2
echo "$want" > "$stamp"
echo "$python"
