#!/usr/bin/env bash
# Compare cmd/mcf with LEMON's NetworkSimplex on the synthetic seat-allocation
# instance (20,000 areas x 400 schools, 15 nearest schools per area, plus the
# unmet-demand arcs): same optimal cost, and the whole run of cmd/mcf (read,
# solve, print) within LIMIT times LEMON's. Also re-checks the .want files of
# optimize/testdata/mcf against LEMON.
#
# Needs Debian's liblemon-dev and g++ (installed with apt-get when missing),
# and uses hyperfine when present, a plain timing loop otherwise.
#
#   scripts/mcf-vs-lemon.sh               # 20000x400, seed 1, 10 runs each
#   SIZE=5000x100 RUNS=5 scripts/mcf-vs-lemon.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-20000x400}
SEED=${SEED:-1}
RUNS=${RUNS:-10}
LIMIT=${LIMIT:-1.5}

need=()
dpkg -s liblemon-dev >/dev/null 2>&1 || need+=(liblemon-dev)
command -v g++ >/dev/null || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A minimal LEMON driver: read a DIMACS min-cost-flow file, run
# NetworkSimplex with block search (its default), print the optimal cost.
cat >"$tmp/lemon_mcf.cc" <<'EOF'
#include <fstream>
#include <iostream>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: lemon_mcf FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << argv[1] << ": cannot open\n";
    return 2;
  }
  typedef lemon::SmartDigraph Graph;
  typedef lemon::NetworkSimplex<Graph, long long, long long> Solver;
  Graph g;
  Graph::ArcMap<long long> lower(g), upper(g), cost(g);
  Graph::NodeMap<long long> supply(g);
  lemon::readDimacsMin(in, g, lower, upper, cost, supply);
  Solver solver(g);
  solver.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
  switch (solver.run()) {
  case Solver::OPTIMAL:
    std::cout << solver.totalCost() << "\n";
    return 0;
  case Solver::INFEASIBLE:
    std::cout << "infeasible\n";
    return 1;
  default:
    std::cout << "unbounded\n";
    return 1;
  }
}
EOF
g++ -O2 -o "$tmp/lemon_mcf" "$tmp/lemon_mcf.cc"
go build -o "$tmp/mcf" ./cmd/mcf

echo "== fixtures (optimize/testdata/mcf)"
for f in optimize/testdata/mcf/*.min; do
  want=$(cat "${f%.min}.want")
  got=$("$tmp/lemon_mcf" "$f" || true)
  case "$got" in
  "$want") echo "$f: LEMON $got, as expected" ;;
  *)
    if [ "$(basename "$f")" = infeasible.min ] && [ "$got" = unbounded ]; then
      echo "$f: LEMON $got (it stops at the negative cycle; mcf and gonum's lp say $want)"
    else
      echo "$f: LEMON $got, .want says $want" >&2
      exit 1
    fi
    ;;
  esac
done

inst="$tmp/instance.min"
"$tmp/mcf" --gen "$SIZE" --seed "$SEED" >"$inst"
echo "== instance $SIZE seed $SEED: $(grep -m1 '^p' "$inst"), $(du -h "$inst" | cut -f1)"
lemon_cost=$("$tmp/lemon_mcf" "$inst")
mcf_cost=$("$tmp/mcf" "$inst" | head -1)
echo "optimal cost: LEMON $lemon_cost, mcf $mcf_cost"
if [ "$lemon_cost" != "$mcf_cost" ]; then
  echo "costs differ" >&2
  exit 1
fi

echo "== timing, $RUNS runs each"
lemon_cmd="$tmp/lemon_mcf $inst"
mcf_cmd="$tmp/mcf $inst"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/times.json" \
    -n lemon "$lemon_cmd" -n mcf "$mcf_cmd"
  # hyperfine writes one "mean" per command, in order.
  means=$(grep -o '"mean": *[0-9.e+-]*' "$tmp/times.json" | awk '{print $2}')
  lemon_s=$(echo "$means" | sed -n 1p)
  mcf_s=$(echo "$means" | sed -n 2p)
else
  # Alternate the two so that a change of machine load hits both alike;
  # take the medians.
  for _ in $(seq "$RUNS"); do
    for who in lemon mcf; do
      cmd=$lemon_cmd
      [ $who = mcf ] && cmd=$mcf_cmd
      start=$(date +%s%N)
      $cmd >/dev/null
      echo "$(( $(date +%s%N) - start ))" >>"$tmp/$who.ns"
    done
  done
  median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1e9}'; }
  lemon_s=$(median "$tmp/lemon.ns")
  mcf_s=$(median "$tmp/mcf.ns")
fi
ratio=$(awk -v a="$mcf_s" -v b="$lemon_s" 'BEGIN {printf "%.2f", a/b}')
printf 'LEMON %.3f s, mcf %.3f s: mcf/LEMON = %s (limit %s)\n' "$lemon_s" "$mcf_s" "$ratio" "$LIMIT"
awk -v r="$ratio" -v l="$LIMIT" 'BEGIN {exit !(r <= l)}' || {
  echo "mcf takes more than $LIMIT times LEMON's time" >&2
  exit 1
}
