#!/usr/bin/env bash
# Kafka's own ProducerPerformance and ConsumerPerformance against a standalone Weir broker's listener and against
# Apache Kafka 4.1's broker, back to back (io.weir.bench.peer.PerfToolsBenchmark: 100 B and 1 KB records, acks=all,
# idempotent and transactional; RUNS alternating pairs a case), then Weir's own producer over the network against the
# in-process path (io.weir.bench.broker.NetworkPathBenchmark). Each case is one JVM with fresh brokers; with
# WEIR_BENCH_LOCK set, each takes that lock for itself (one to two minutes a hold), so other builds run in between.
# Prints every run, then every RESULT line (medians, min–max, per-pair ratios). Nothing to install: the Kafka side
# runs from the jars Maven resolved (benchmarks/target/kafka.classpath).
# Build first:  mvn -B -q package -pl benchmarks -am -DskipTests
# Usage, from the repository root:  WEIR_BENCH_LOCK=/tmp/weir-build.lock bash benchmarks/kafka-perf-tools.sh [runs] [cases]
#   cases: a space-separated list of 100B-idempotent 100B-transactional 1KB-idempotent 1KB-transactional network-path
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/benchmarks/target/benchmarks.jar"
RUNS=${1:-3}
CASES=${2:-"100B-idempotent 100B-transactional 1KB-idempotent 1KB-transactional network-path"}
OUT=$(mktemp)
FAILED=""
trap 'rm -f "$OUT"' EXIT
[ -f "$JAR" ] || { echo "No $JAR: build it with mvn -B -q package -pl benchmarks -am -DskipTests" >&2; exit 2; }

hold() {  # runs "$@" holding WEIR_BENCH_LOCK when it is set
  if [ -n "${WEIR_BENCH_LOCK:-}" ]; then flock "$WEIR_BENCH_LOCK" "$@"; else "$@"; fi
}

for c in $CASES; do
  echo "== $c ($(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$c" = network-path ]; then
    hold java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx2g \
      -cp "$JAR" io.weir.bench.broker.NetworkPathBenchmark "$RUNS" 2>&1 | tee -a "$OUT" || FAILED="$FAILED $c"
  else
    hold java -Xmx512m -cp "$JAR" io.weir.bench.peer.PerfToolsBenchmark "$c" "$RUNS" 2>&1 | tee -a "$OUT" \
      || FAILED="$FAILED $c"
  fi
done
echo
grep '^RESULT' "$OUT" || true
if [ -n "$FAILED" ]; then echo "FAILED:$FAILED (their output is above)"; exit 1; fi
