#!/usr/bin/env bash
# Installs everything (dependencies and, where missing, Debian's chromium) and runs all tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "copboard: installing Debian chromium for the browser tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "copboard: /usr/bin/chromium is missing; install it (apt-get install chromium) for the browser tests" >&2
    exit 1
  fi
fi
pnpm build
pnpm test
