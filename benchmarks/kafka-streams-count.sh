#!/usr/bin/env bash
# Kafka Streams' side of StreamsCountBenchmark, repeated: ../shared/peer's CountBench (groupByKey().count() over
# 1M records, 10k keys, 4 partitions) on a fresh single-node Kafka 4.1 broker, REPS runs each of at_least_once and
# exactly_once_v2, both at commit.interval.ms=100, alternating which goes first; prints every RESULT line, then the
# median and range of each rate (to committed output) and of the per-pair ratio exactly_once_v2 ÷ at_least_once.
# Needs one run of ../shared/peer/bench.sh first (it fetches Kafka and builds CountBench).
# Usage, from the repository root: flock /tmp/weir-build.lock bash benchmarks/kafka-streams-count.sh [reps]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERDIR=${PEERDIR:-$(cd "$ROOT/../shared/peer" && pwd)}
. "$PEERDIR/env.sh"
K="$PEERDIR/kafka.sh"
SCP="$PEER/streams/target/streams-count-bench-1.0.jar:$PEER/streams/target/lib/*"
JOPTS="-Dlog4j2.configurationFile=$PEER/config/log4j2-tools.properties"
BS=127.0.0.1:9092
REPS=${1:-5}
OUT=$(mktemp)
trap '"$K" stop >/dev/null 2>&1 || true; rm -f "$OUT"' EXIT

"$K" stop >/dev/null 2>&1 || true
"$K" format >/dev/null
"$K" start
java -Xmx1g $JOPTS -cp "$SCP" peer.CountBench produce $BS streams-in 4 1000000 10000 100
for r in $(seq 1 "$REPS"); do
  order="at_least_once exactly_once_v2"
  [ $((r % 2)) = 0 ] && order="exactly_once_v2 at_least_once"
  for g in $order; do
    timeout 400 java -Xmx2g $JOPTS -cp "$SCP" peer.CountBench run $BS streams-in 1000000 4 "$g" 100 2>&1 \
      | grep RESULT | sed "s/^RESULT /run $r /" | tee -a "$OUT"
  done
  echo "  $(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/load average /')"
done

rate() { grep "guarantee=$1 " "$OUT" | sed -E 's/.*t_output=[0-9.]+s \(([0-9]+) rec\/s\).*/\1/'; }
spread() { sort -g | awk -v f="${1:-%.0f}" '{a[NR]=$1} END{printf "median " f " (" f "–" f "), %d runs", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'; }
echo "Kafka Streams at_least_once   commit 100 ms: $(rate at_least_once | spread) rec/s to committed output"
echo "Kafka Streams exactly_once_v2 commit 100 ms: $(rate exactly_once_v2 | spread) rec/s to committed output"
echo "ratio exactly_once_v2 ÷ at_least_once per pair: $(paste <(rate exactly_once_v2) <(rate at_least_once) \
  | awk '{printf "%.3f\n", $1/$2}' | spread %.3f)"
