#!/usr/bin/env bash
# A real sync of the demo tenant (samples/demo-directory.json) into a local Atlassian-compatible SCIM server, on
# loopback only: starts Azurite and both emulators, runs an initial and an incremental cycle, prints what happened
# and stops everything. Needs the .NET 10 SDK and Node.js 20+. Extra arguments go to 'scimsync demo'.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "demo.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 2; }
command -v npm >/dev/null || { echo "demo.sh: Node.js and npm are not on PATH (the demo starts Azurite, which runs on Node.js)" >&2; exit 2; }

# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

exec dotnet run --project src/ScimSync.Cli -c Release -- demo "$@"
