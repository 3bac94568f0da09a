#!/usr/bin/env bash
# Starts `seatplan plan` over existing outputs, sends it a signal once a
# given line appears on its stderr, and checks what the interruption
# contract promises: exit status 128 + signal, exit within 2 s, the old
# outputs byte for byte, no temporary file beside them or in TMPDIR.
# The Go test TestInterruptPlan checks the same at several moments; this
# script is for trying a moment by hand.
#
# Usage: scripts/interrupt-plan.sh [PATTERN [SIGNAL [DELAY]]]
#   PATTERN  stderr fragment to wait for (default 'name=map': the outputs
#            are being written); see `seatplan plan --log-level info`
#   SIGNAL   INT (default) or TERM
#   DELAY    seconds to wait after the fragment (default 0)
set -euo pipefail
cd "$(dirname "$0")/.."
pattern="${1:-name=map}"
sig="${2:-INT}"
delay="${3:-0}"
case "$sig" in
  INT) want=130 ;;
  TERM) want=143 ;;
  *) echo "interrupt-plan: signal $sig: expected INT or TERM" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/out" "$work/tmp"
go build -o "$work/seatplan" ./cmd/seatplan
for f in plan.xlsx plan.json plan.geojson plan.png; do
  echo "existing $f" >"$work/out/$f"
done
(cd "$work/out" && sha256sum plan.*) >"$work/before.sha256"

TMPDIR="$work/tmp" "$work/seatplan" plan --log-level info --draws "${DRAWS:-40}" \
  -o "$work/out/plan.xlsx" --json "$work/out/plan.json" \
  --geojson "$work/out/plan.geojson" --map "$work/out/plan.png" >/dev/null 2>"$work/stderr" &
pid=$!
until grep -qF -- "$pattern" "$work/stderr"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/stderr" >&2
    echo "interrupt-plan: plan ended before printing $pattern" >&2
    exit 1
  fi
  sleep 0.01
done
sleep "$delay"
echo "at the signal: outputs folder: $(ls -A "$work/out" | tr '\n' ' ')"
echo "at the signal: TMPDIR: $(ls -A "$work/tmp" | tr '\n' ' ')"
start=$(date +%s%N)
kill -"$sig" "$pid"
status=0
wait "$pid" || status=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$work/stderr"

fail=0
echo "exit status $status after $ms ms"
[ "$status" = "$want" ] || { echo "FAIL: exit status $status, want $want"; fail=1; }
[ "$ms" -le 2000 ] || { echo "FAIL: took $ms ms, more than 2000"; fail=1; }
(cd "$work/out" && sha256sum --quiet -c "$work/before.sha256") || { echo "FAIL: an output changed"; fail=1; }
left=$(ls -A "$work/out" | grep -v '^plan\.' || true)
[ -z "$left" ] || { echo "FAIL: left beside the outputs: $left"; fail=1; }
left=$(ls -A "$work/tmp")
[ -z "$left" ] || { echo "FAIL: left in TMPDIR: $left"; fail=1; }
[ "$fail" = 0 ] && echo "ok: outputs unchanged, no temporary files left"
exit "$fail"
