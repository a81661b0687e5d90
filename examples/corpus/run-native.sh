#!/usr/bin/env bash
# Runs every corpus app natively (plain ts-node, the way `cdk synth` starts it) into
# <outdir>/<app>/ and prints: app, resources (summed over every *.template.json in the
# app's cloud assembly, nested stacks and stage assemblies included), seconds.
#
# usage: run-native.sh <outdir> [app ...]
#   WITH_CONTEXT=1   pass the app's cdk.json "context" block as CDK_CONTEXT_JSON, as the
#                    CDK CLI does (default: not passed, as a plain `ts-node bin/x.ts` run)
#   TS_NODE_TRANSPILE_ONLY=1  skip ts-node's type check (faster; the output is the same)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: run-native.sh <outdir> [app ...]}"
shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [ "$#" -gt 0 ]; then
  apps=("$@")
else
  mapfile -t apps < <(node -e 'for (const a of require(process.argv[1])) console.log(a.name)' "$here/apps.json")
fi

printf '%-28s %9s %8s\n' app resources seconds
failed=0
for app in "${apps[@]}"; do
  entry="$(node -e 'const a = require(process.argv[1]).find((x) => x.name === process.argv[2]); console.log(a ? a.entry : "")' "$here/apps.json" "$app")"
  entry="${entry:-$app/bin/$app.ts}"
  dir="$here/$app"
  rm -rf "${out:?}/$app"
  ctx=()
  if [ "${WITH_CONTEXT:-}" = 1 ]; then
    ctx=("CDK_CONTEXT_JSON=$(node -e 'console.log(JSON.stringify(require(process.argv[1]).context ?? {}))' "$dir/cdk.json")")
  fi
  start=$(date +%s.%N)
  if (cd "$dir" && env ${ctx[@]+"${ctx[@]}"} CDK_OUTDIR="$out/$app" npx ts-node --prefer-ts-exts "${entry#"$app"/}" \
        >"$out/$app.stdout" 2>"$out/$app.stderr"); then
    status=ok
  else
    status=FAILED
    failed=1
  fi
  end=$(date +%s.%N)
  resources="$(node -e '
    const fs = require("fs"), path = require("path");
    let n = 0;
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name.startsWith("assembly-")) walk(p);
        else if (e.name.endsWith(".template.json")) n += Object.keys(JSON.parse(fs.readFileSync(p, "utf8")).Resources ?? {}).length;
      }
    };
    if (fs.existsSync(process.argv[1])) walk(process.argv[1]);
    console.log(n);' "$out/$app")"
  secs="$(echo "$end - $start" | bc)"
  if [ "$status" = ok ]; then
    printf '%-28s %9s %8.1f\n' "$app" "$resources" "$secs"
  else
    printf '%-28s %9s %8.1f  FAILED (see %s)\n' "$app" "$resources" "$secs" "$out/$app.stderr"
  fi
done
exit "$failed"
