#!/usr/bin/env bash
# Installs everything (dependencies and, where missing, Debian's chromium) and runs all tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 # the build would print a telemetry notice and try to phone home
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
# the cluster tests (apps/server/test/cluster) run HAProxy and a redis-server of their own
for pkg in haproxy:haproxy redis-server:redis-server; do
  bin="${pkg%%:*}"
  if ! command -v "$bin" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "copboard: installing Debian's ${pkg#*:} for the cluster tests" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkg#*:}") >/dev/null
    else
      echo "copboard: $bin is missing; install it (apt-get install ${pkg#*:}) for the cluster tests" >&2
      exit 1
    fi
  fi
done
pnpm build
pnpm test
