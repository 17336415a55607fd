#!/usr/bin/env bash
# Quick start: install, build and run copboard on one port with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
pnpm build
export DATA_DIR="${DATA_DIR:-$PWD/data}"
exec pnpm start
