#!/usr/bin/env bash
# Installs Debian's chromium (for the dashboard's browser tests, driven by playwright-core) when
# /usr/bin/chromium is missing. Idempotent: does nothing when it is there. Needs root (or sudo) to install.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-chromium: run as root (or with sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi
echo "install-chromium: installing Debian's chromium with apt-get" >&2
"${sudo[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
test -x /usr/bin/chromium
