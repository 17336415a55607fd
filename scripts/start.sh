#!/usr/bin/env bash
# Quick start: install, build and run copboard on one port with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TURBO_TELEMETRY_DISABLED=1 # the build would print a telemetry notice and try to phone home
source scripts/setup.sh
pnpm build
export DATA_DIR="${DATA_DIR:-$PWD/data}"
exec pnpm start
