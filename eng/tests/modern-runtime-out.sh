#!/usr/bin/env bash
# Checks that eng/modern-runtime.sh delivers a run's output folder to the host wherever --out
# points (an absolute folder outside the repository, a not-yet-existing one under it, a relative
# one from a working folder outside the repository) and refuses, with exit code 2 and before
# running anything, a folder it cannot share. Runs the real client on a tiny scenario.
# Usage: eng/tests/modern-runtime-out.sh [Debug|Release]   (the client must be built in that configuration)
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONFIG="${1:-Debug}"
CLIENT="$REPO/Client/bin/$CONFIG/net10.0/MultiAgentRec.Client.dll"
[ -f "$CLIENT" ] || { echo "FAIL: no client at $CLIENT (build it first)"; exit 1; }
scratch="$(mktemp -d /tmp/mar-out-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/tiny.yaml" <<'YAML'
name: tiny
rounds: 2
catalog: { items: 20 }
users: { count: 30 }
agents: [ { id: eps, kind: epsilon-greedy } ]
arms: [ensemble, random]
YAML
failures=0
check() { if "$@"; then echo "ok: ${desc}"; else echo "FAIL: ${desc}"; failures=$((failures + 1)); fi; }
run() { "$REPO/eng/modern-runtime.sh" -- dotnet "$CLIENT" run "$scratch/tiny.yaml" --metrics-port 0 --quiet "$@" >"$scratch/log" 2>&1; }

desc="absolute --out outside the repository, parents not yet there, ends up on the host"
run --out "$scratch/deep/er/out"; code=$?
check test "$code" = 0 -a -f "$scratch/deep/er/out/summary.json" -a -f "$scratch/deep/er/out/report.md"

desc="relative --out from a working folder outside the repository"
(cd "$scratch" && run --out rel); code=$?
check test "$code" = 0 -a -f "$scratch/rel/summary.json"

desc="an --out that cannot be shared exits 2 and says why"
run --out "/mar-nonexistent-$$/out"; code=$?
check test "$code" = 2 -a ! -e "/mar-nonexistent-$$"
desc="the refusal names the reason"
check grep -q "cannot be reached from inside Debian 13" "$scratch/log"

[ "$failures" = 0 ] && echo "modern-runtime --out: all checks passed" || echo "modern-runtime --out: $failures check(s) failed"
[ "$failures" = 0 ]
