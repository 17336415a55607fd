#!/usr/bin/env bash
# Installs copboard's dependencies on a machine that has only Node 20 and npm.
# Sourced by start.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM_VERSION=12.4.2
# pnpm's node-gyp ignores npm's `nodedir`; without this better-sqlite3 tries to download headers.
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "copboard: installing pnpm $PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || {
    # No permission for a global install: use a project-local copy.
    npm install --prefix .tools "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  }
fi

export CI="${CI:-true}"
pnpm install --frozen-lockfile
