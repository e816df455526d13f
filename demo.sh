#!/usr/bin/env bash
# A real sync of the demo tenant (samples/demo-directory.json) into a local Atlassian-compatible SCIM server, on
# loopback only: starts Azurite and both emulators, runs an initial and an incremental cycle, prints what happened
# and stops everything. Needs the .NET 10 SDK and Node.js 20+. Extra arguments go to 'scimsync demo'.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "demo.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 2; }
command -v npm >/dev/null || { echo "demo.sh: Node.js and npm are not on PATH (the demo starts Azurite, which runs on Node.js)" >&2; exit 2; }

# npm ci only when node_modules was not installed from this exact lock file (compared by content, not by time).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.installed-lock-hash
fi

exec dotnet run --project src/ScimSync.Cli -c Release -- demo "$@"
