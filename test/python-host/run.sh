#!/usr/bin/env bash
# Runs host_script.py with the official Python jsii client on jsii-ring's stdio server
# (default) or on the reference runtime, and prints its results. Run `npm run build` first.
#   test/python-host/run.sh [ours|reference]
# Wheels: JSII_RING_WHEELS, else ../shared/wheels next to the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
node dist/test/helpers/build-fixtures.js >/dev/null
python="$(node dist/test/python-host/python-env.js)"
case "${1:-ours}" in
  ours) runtime="$PWD/bin/jsii-runtime.js" ;;
  reference) runtime="$PWD/node_modules/@jsii/runtime/webpack/bin/jsii-runtime.js" ;;
  *) echo "usage: $0 [ours|reference]" >&2; exit 2 ;;
esac
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
JSII_RUNTIME="$runtime" JSII_HOST_STACK_TRACES=1 "$python" test/python-host/host_script.py "$results"
cat "$results"
