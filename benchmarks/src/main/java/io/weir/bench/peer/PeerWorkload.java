package io.weir.bench.peer;

import java.util.List;
import java.util.Locale;

/**
 * A streams workload as both sides of a peer benchmark see it — Weir in the benchmark's JVM, Kafka Streams in a child
 * JVM — so it holds plain values only (no Weir and no Kafka type): which topology, the input's shape, and what the
 * output must reach. The input is {@code records} records per input topic, record {@code i} keyed {@code k<i % keys>}
 * with a 100-byte value and the timestamp {@link #timestamp(long)}: {@code base + i * spanMs / records}, so the
 * records of every partition are in timestamp order and spread evenly over {@code windows} one-minute windows.
 *
 * <ul>
 *   <li>{@link Kind#WINDOWED_COUNT}: {@code groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(1 min)).count()},
 *       each update written as {@code "<key>@<window start>" -> count}; done when the latest counts add up to
 *       {@code records}.</li>
 *   <li>{@link Kind#JOIN}: {@code left.join(right, joiner, JoinWindows.ofTimeDifferenceAndGrace(joinMs,
 *       joinGraceMs()))} over two topics holding the same keys and timestamps, each result written as
 *       {@code key -> 1}; done when the output holds {@link #expectedJoinResults()} records. Both topics are loaded
 *       before the start; both runtimes take a task's records in timestamp order across its partitions and wait for a
 *       partition whose records are still on the broker ({@code max.task.idle.ms} 0), so a minute of grace is enough
 *       for no record to be late.</li>
 * </ul>
 *
 * @param base   the first record's timestamp, a minute boundary (recent: brokers delete records older than their
 *               retention)
 * @param joinMs the join window's time difference (JOIN only)
 */
public record PeerWorkload(Kind kind, long records, int keys, int windows, long base, long joinMs) {
    public static final long WINDOW_MS = 60_000L;
    public static final int PARTITIONS = 4;

    /** The JOIN workload's grace: one minute (see the class comment). */
    public long joinGraceMs() {
        return WINDOW_MS;
    }

    public static final String OUTPUT = "peer-out";

    /** The topologies. */
    public enum Kind {
        WINDOWED_COUNT("wcount-in"),
        JOIN("join-left", "join-right");

        private final List<String> inputs;

        Kind(String... inputs) {
            this.inputs = List.of(inputs);
        }

        public List<String> inputs() {
            return inputs;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown workload '" + id + "'; known: windowed-count, join");
        }
    }

    public PeerWorkload {
        if (records <= 0 || keys <= 0 || windows <= 0) {
            throw new IllegalArgumentException(
                    "records, keys and windows must be > 0: " + records + ", " + keys + ", " + windows);
        }
        if (base % WINDOW_MS != 0) {
            throw new IllegalArgumentException("base must be a minute boundary, was " + base);
        }
    }

    /** A workload whose first record is about {@code windows} minutes and a margin before now. */
    public static PeerWorkload recent(Kind kind, long records, int keys, int windows, long joinMs) {
        long now = System.currentTimeMillis();
        long base = now - (windows + 10) * WINDOW_MS;
        return new PeerWorkload(kind, records, keys, windows, base - base % WINDOW_MS, joinMs);
    }

    public long spanMs() {
        return windows * WINDOW_MS;
    }

    /** The timestamp of record {@code i} of every input topic. */
    public long timestamp(long i) {
        return base + i * spanMs() / records;
    }

    /** Records entering the topology: every record of every input topic. */
    public long inputRecords() {
        return records * kind.inputs().size();
    }

    /**
     * Left record {@code i} meets right record {@code j} when they share a key ({@code j = i + m * keys}) and their
     * timestamps differ by at most {@code joinMs}; the number of such pairs.
     */
    public long expectedJoinResults() {
        long results = 0;
        for (long i = 0; i < records; i++) {
            long t = timestamp(i);
            for (long j = i; j < records && timestamp(j) - t <= joinMs; j += keys) {
                results++;
            }
            for (long j = i - keys; j >= 0 && t - timestamp(j) <= joinMs; j -= keys) {
                results++;
            }
        }
        return results;
    }

    /** The command-line form, read back by {@link #parse}. */
    public String toArgs() {
        return String.join(
                " ",
                kind.id(),
                Long.toString(records),
                Integer.toString(keys),
                Integer.toString(windows),
                Long.toString(base),
                Long.toString(joinMs));
    }

    public static PeerWorkload parse(String[] args, int from) {
        return new PeerWorkload(
                Kind.of(args[from]),
                Long.parseLong(args[from + 1]),
                Integer.parseInt(args[from + 2]),
                Integer.parseInt(args[from + 3]),
                Long.parseLong(args[from + 4]),
                Long.parseLong(args[from + 5]));
    }

    @Override
    public String toString() {
        return kind == Kind.WINDOWED_COUNT
                ? String.format(
                        Locale.ROOT,
                        "windowed count: %,d records, %,d keys, %d one-minute windows, %d partitions",
                        records,
                        keys,
                        windows,
                        PARTITIONS)
                : String.format(
                        Locale.ROOT,
                        "stream-stream join: %,d + %,d records, %,d keys, over %d minutes, join window ±%d ms, "
                                + "%d partitions",
                        records,
                        records,
                        keys,
                        windows,
                        joinMs,
                        PARTITIONS);
    }
}
