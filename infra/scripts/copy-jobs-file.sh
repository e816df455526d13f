#!/bin/sh
# Puts the job file named by SCIMSYNC_JOBS_FILE into the Functions package as jobs.json (the app setting
# ScimSync__JobsFile points there). Run by azd before it packages the app.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs_file=${SCIMSYNC_JOBS_FILE:-}
if [ -z "$jobs_file" ]; then
  echo "copy-jobs-file: set SCIMSYNC_JOBS_FILE to your job file first: azd env set SCIMSYNC_JOBS_FILE ./my-jobs.json" >&2
  exit 1
fi
case "$jobs_file" in
  /*) ;;
  *) jobs_file="$root/$jobs_file" ;;
esac
if [ ! -f "$jobs_file" ]; then
  echo "copy-jobs-file: $jobs_file does not exist" >&2
  exit 1
fi
cp "$jobs_file" "$root/src/ScimSync.Functions/jobs.json"
echo "copy-jobs-file: packaging $jobs_file as jobs.json"
