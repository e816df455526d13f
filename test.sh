#!/usr/bin/env bash
# Runs the whole test suite on a fresh clone: installs the Node.js tools the tests start (Azurite, scimmy) and the
# headless browser the status page's test drives (Debian chromium and chromium-driver), builds the solution in
# Release and runs every test project. Needs the .NET 10 SDK and Node.js 20+. Results and screenshots are kept in
# TestResults/.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 2; }
command -v npm >/dev/null || { echo "test.sh: Node.js and npm are not on PATH (the tests start Azurite and scimmy)" >&2; exit 2; }

# npm ci only when node_modules was not installed from this exact lock file (compared by content, not by time).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.installed-lock-hash
fi

# The browser test needs chromium and its driver; without them (not root, no package source) only it is skipped.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing chromium and chromium-driver for the status page's browser test"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } \
      || echo "test.sh: could not install chromium and chromium-driver; the browser test will be skipped" >&2
  else
    echo "test.sh: /usr/bin/chromium or /usr/bin/chromedriver is missing and cannot be installed here (needs root and apt-get);" \
      "the browser test will be skipped. Install the Debian packages chromium and chromium-driver to run it." >&2
  fi
fi

dotnet build functions.sln -c Release -nologo -clp:ErrorsOnly

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"
export SCIMSYNC_TEST_RESULTS="$results"
status=0
# A test that stops making progress fails the run with its name after eight minutes instead of running into CI's limit.
dotnet test functions.sln -c Release --no-build -nologo \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  --logger "trx" --results-directory "$results" "$@" || status=$?

if [ -d "$results/screenshots" ]; then
  echo "Screenshots of the status page:"
  find "$results/screenshots" -name '*.png' | sort | sed 's/^/  /'
fi

# One closing line over all test projects, summed from the TRX files.
node - "$results" <<'JS' || true
const fs = require("fs"), path = require("path");
let passed = 0, failed = 0, skipped = 0;
for (const f of fs.readdirSync(process.argv[2]).filter(n => n.endsWith(".trx"))) {
  const counters = fs.readFileSync(path.join(process.argv[2], f), "utf8").match(/<Counters [^>]*>/)?.[0] ?? "";
  const n = k => Number(counters.match(new RegExp(` ${k}="(\\d+)"`))?.[1] ?? 0);
  passed += n("passed"); failed += n("failed") + n("error"); skipped += n("notExecuted");
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
exit $status
