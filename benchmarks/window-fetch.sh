#!/usr/bin/env bash
# WindowFetchBenchmark in rounds: each round is one JMH fork of rawFetch, weirFetch and weirViewFetch (in that order,
# reversed every other round), so each ratio Weir ÷ raw compares forks run back to back under the same machine load.
# Prints each round's scores and ratios, then the median and range of each ratio over the rounds.
# Usage, from the repository root after building the benchmarks module:
#   flock /tmp/weir-build.lock bash benchmarks/window-fetch.sh [rounds] [extra JMH args...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-5}
shift || true
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for r in $(seq 1 "$ROUNDS"); do
  order="rawFetch weirFetch weirViewFetch"
  [ $((r % 2)) = 0 ] && order="weirViewFetch weirFetch rawFetch"
  for b in $order; do
    java -jar "$ROOT/benchmarks/target/benchmarks.jar" "WindowFetchBenchmark.$b\$" -f 1 -rf csv -rff "$OUT/$r-$b.csv" "$@" \
      >/dev/null
  done
  score() { sed -n 2p "$OUT/$r-$1.csv" | cut -d, -f5; }
  raw=$(score rawFetch); weir=$(score weirFetch); view=$(score weirViewFetch)
  echo "$r $raw $weir $view" | awk '{printf "round %d  raw %.0f  weir %.0f  view %.0f ops/s  weir/raw %.3f  view/raw %.3f\n", $1, $2, $3, $4, $3/$2, $4/$2}' \
    | tee -a "$OUT/rounds"
  echo "  $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/load average /')"
done
spread() { sort -g | awk '{a[NR]=$1} END{printf "median %.3f (%.3f–%.3f), %d rounds", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'; }
echo "weirFetch ÷ rawFetch:     $(sed -E 's/.*weir\/raw ([0-9.]+).*/\1/' "$OUT/rounds" | spread)"
echo "weirViewFetch ÷ rawFetch: $(sed -E 's/.*view\/raw ([0-9.]+).*/\1/' "$OUT/rounds" | spread)"
echo "rawFetch ops/s:           $(sed -E 's/.* raw ([0-9]+) .*/\1/' "$OUT/rounds" | spread | sed 's/\.000//g')"
