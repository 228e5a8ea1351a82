package io.weir.broker.internals.log;

import static io.weir.broker.internals.log.CleanerTestBase.keyed;
import static io.weir.broker.internals.log.CleanerTestBase.transactional;
import static io.weir.broker.internals.log.ProducerBatches.marker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.CleanerConfig;
import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Record;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Compaction against a model. Random chains of keyed writes and tombstones, transactional writes by two
 * producers with commits and aborts, segment rolls, clock advances, cleaner passes (with a map sometimes too
 * small for one pass), clean and crash reopens, and kills at a random step of a pass, run on a real log
 * directory. After every step, reading the partition from the start under read_committed must give:
 * <ul>
 *   <li>offsets strictly increasing, and every record one that was written at that offset, committed;</li>
 *   <li>nothing from an aborted transaction;</li>
 *   <li>for every key, as its last record, its latest committed record; or nothing, when that is a
 *       tombstone written at least {@code delete.retention.ms} ago;</li>
 *   <li>the last stable offset of the model (no transaction lost or invented by cleaning);</li>
 * </ul>
 * and a pass must leave every record at or after the last stable offset as it was.
 */
class CompactionProperties {
    private static final TopicPartition TP = new TopicPartition("table", 0);
    private static final long DELETE_RETENTION_MS = 1000;
    private static final int KEYS = 6;

    /** One step: {@code kind} picks the operation, {@code a} and {@code b} its arguments. */
    record Op(int kind, int a, int b) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "write(k" + a + (b == 0 ? ", tombstone)" : ", v)");
                case 3, 4 -> "txnWrite(p" + (a % 2) + ", k" + (b % KEYS) + ")";
                case 5 -> "txnEnd(p" + (a % 2) + (b % 3 == 0 ? ", abort)" : ", commit)");
                case 6 -> "roll";
                case 7 -> "advance(" + a * 100 + "ms)";
                case 8, 9 -> "clean";
                case 10 -> "reopen(" + (a % 2 == 0 ? "clean" : "crash") + ")";
                default -> "killDuringClean(" + CleanerHook.Step.values()[a % CleanerHook.Step.values().length] + ")";
            };
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 11),
                        Arbitraries.integers().between(0, 15),
                        Arbitraries.integers().between(0, 15))
                .as(Op::new);
        return op.list().ofMinSize(10).ofMaxSize(70);
    }

    @Property(tries = 120, seed = "20261121")
    void readingFromTheStartGivesEveryKeysLatestCommittedValue(@ForAll("ops") List<Op> ops, @ForAll boolean tinyMap)
            throws IOException {
        run(ops, tinyMap);
    }

    /** The same with random seeds and many more tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 5000)
    @Tag("soak")
    void soakReadingFromTheStartGivesEveryKeysLatestCommittedValue(@ForAll("ops") List<Op> ops, @ForAll boolean tinyMap)
            throws IOException {
        run(ops, tinyMap);
    }

    private void run(List<Op> ops, boolean tinyMap) throws IOException {
        Path dir = Files.createTempDirectory("compaction-property");
        World world = new World(dir, tinyMap);
        try {
            for (Op op : ops) {
                world.apply(op);
                world.check(op);
            }
            // In the end a pass after the horizon leaves exactly one record per live key.
            world.time.sleep(DELETE_RETENTION_MS * 3);
            world.log.roll();
            world.cleaner.cleanUntilClean();
            world.log.roll();
            world.cleaner.cleanUntilClean();
            world.check(new Op(8, 0, 0));
        } finally {
            world.close();
            LogTestSupport.deleteRecursively(dir);
        }
    }

    /** A written record as the model knows it. */
    private record Written(long offset, int key, String value, long writtenMs, long producer) {}

    private static final class World {
        final Path dir;
        final MockTime time = new MockTime();
        final LogConfig config;
        final CleanerConfig cleanerConfig;
        Log log;
        LogCleaner cleaner;
        CleanerHook hook = CleanerHook.NONE;
        /** Every data record ever appended, by offset. */
        final TreeMap<Long, Written> written = new TreeMap<>();
        /** Per producer: offsets of its open transaction's records, its next sequence. */
        final Map<Long, List<Long>> open = new HashMap<>();

        final Map<Long, Integer> sequence = new HashMap<>();
        final Map<Long, Boolean> committedOffsets = new HashMap<>();
        int counter;

        World(Path dir, boolean tinyMap) {
            this.dir = dir;
            this.config = LogConfig.withOverrides(
                    LogConfig.DEFAULTS,
                    Map.of(
                            "cleanup.policy",
                            "compact",
                            "segment.bytes",
                            "500",
                            "delete.retention.ms",
                            Long.toString(DELETE_RETENTION_MS),
                            "min.cleanable.dirty.ratio",
                            "0.0"));
            // 1024 slots at a load factor of 0.004 hold 4 keys: fewer than the 6 in play, so passes stop early
            this.cleanerConfig = new CleanerConfig(
                    false, 1, 1024L * OffsetMap.BYTES_PER_ENTRY, 8 * 1024, tinyMap ? 0.004 : 0.9, 1000L);
            open(true);
        }

        void open(boolean clean) {
            log = Log.open(
                    dir.resolve("table-0"),
                    TP,
                    config,
                    ProducerStateConfig.DEFAULT,
                    time,
                    clean ? Shutdown.CLEAN : Shutdown.crash(0L));
            cleaner = LogCleaner.create(
                    cleanerConfig,
                    dir.resolve("cleaner-offset-checkpoint"),
                    () -> List.of(log),
                    time,
                    step -> hook.reached(step));
        }

        void apply(Op op) {
            switch (op.kind()) {
                case 0, 1, 2 -> {
                    String value = op.b() == 0 ? null : "v" + counter++;
                    long offset = append(keyed(time.milliseconds(), "k" + op.a() % KEYS, value), AppendOrigin.CLIENT);
                    written.put(offset, new Written(offset, op.a() % KEYS, value, time.milliseconds(), -1));
                }
                case 3, 4 -> {
                    long pid = 100 + op.a() % 2;
                    int seq = sequence.getOrDefault(pid, 0);
                    String value = op.a() >= 12 ? null : "t" + counter++;
                    long offset = append(
                            transactional(pid, (short) 0, seq, time.milliseconds(), "k" + op.b() % KEYS, value),
                            AppendOrigin.CLIENT);
                    sequence.put(pid, seq + 1);
                    open.computeIfAbsent(pid, p -> new ArrayList<>()).add(offset);
                    written.put(offset, new Written(offset, op.b() % KEYS, value, time.milliseconds(), pid));
                }
                case 5 -> {
                    long pid = 100 + op.a() % 2;
                    List<Long> offsets = open.remove(pid);
                    if (offsets == null) {
                        return; // nothing open: a coordinator would not write a marker
                    }
                    boolean commit = op.b() % 3 != 0;
                    append(
                            marker(
                                    commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                                    pid,
                                    (short) 0,
                                    0,
                                    time.milliseconds()),
                            AppendOrigin.COORDINATOR);
                    for (long offset : offsets) {
                        committedOffsets.put(offset, commit);
                    }
                }
                case 6 -> log.roll();
                case 7 -> time.sleep(op.a() * 100L);
                case 8, 9 -> clean();
                case 10 -> reopen(op.a() % 2 == 0);
                default -> killDuringClean(CleanerHook.Step.values()[op.a() % CleanerHook.Step.values().length]);
            }
        }

        private long append(ByteBuffer batch, AppendOrigin origin) {
            LogAppendInfo info = log.append(batch, origin);
            log.advanceHighWatermark();
            return info.firstOffset();
        }

        private void clean() {
            long lso = log.lastStableOffset();
            List<String> tail = rawFrom(lso);
            cleaner.cleanOnce();
            assertEquals(tail, rawFrom(lso), "a pass changed records at or after the last stable offset " + lso);
            assertTrue(
                    cleaner.uncleanablePartitions().isEmpty(),
                    cleaner.uncleanablePartitions().toString());
        }

        private void reopen(boolean clean) {
            cleaner.close();
            if (clean) {
                log.close();
            } else {
                log.closeWithoutFlush();
            }
            open(clean);
        }

        private void killDuringClean(CleanerHook.Step step) {
            boolean[] killed = {false};
            hook = reached -> {
                if (reached == step && !killed[0]) {
                    killed[0] = true;
                    throw new CleanerTestBase.SimulatedCrash();
                }
            };
            try {
                cleaner.cleanOnce();
            } catch (CleanerTestBase.SimulatedCrash expected) {
                // the kill
            } finally {
                hook = CleanerHook.NONE;
            }
            cleaner.stop();
            log.closeWithoutFlush();
            open(false);
        }

        /** Every data record at or after {@code from}, read_uncommitted, as "offset:key=value". */
        private List<String> rawFrom(long from) {
            List<String> out = new ArrayList<>();
            for (Record record : read(IsolationLevel.READ_UNCOMMITTED)) {
                if (record.offset() >= from) {
                    out.add(record.offset() + ":" + text(record.key()) + "=" + text(record.value()));
                }
            }
            return out;
        }

        private List<Record> read(IsolationLevel isolation) {
            return CleanerTestBase.readFromStart(log, isolation);
        }

        void check(Op after) {
            String where = " after " + after;
            long lso = log.lastStableOffset();
            long expectedLso = open.values().stream()
                    .mapToLong(offsets -> offsets.get(0))
                    .min()
                    .orElse(log.highWatermark());
            assertEquals(expectedLso, lso, "last stable offset" + where);

            List<Record> records = read(IsolationLevel.READ_COMMITTED);
            long previous = -1;
            Map<Integer, Written> lastRead = new HashMap<>();
            for (Record record : records) {
                assertTrue(record.offset() > previous, "offsets strictly increase" + where);
                previous = record.offset();
                Written w = written.get(record.offset());
                assertTrue(w != null, "record at " + record.offset() + " was written" + where);
                assertEquals("k" + w.key(), text(record.key()), "key at " + record.offset() + where);
                assertEquals(String.valueOf(w.value()), text(record.value()), "value at " + record.offset() + where);
                assertFalse(
                        w.producer() >= 0 && !committedOffsets.getOrDefault(record.offset(), false),
                        "record at " + record.offset() + " is from an aborted or open transaction" + where);
                lastRead.put(w.key(), w);
            }
            for (int key = 0; key < KEYS; key++) {
                Written latest = null;
                for (Written w : written.headMap(lso, false).values()) {
                    if (w.key() == key && (w.producer() < 0 || committedOffsets.getOrDefault(w.offset(), false))) {
                        latest = w;
                    }
                }
                Written seen = lastRead.get(key);
                if (latest == null) {
                    assertEquals(null, seen, "k" + key + " was never committed" + where);
                } else if (seen == null) {
                    assertEquals(
                            null,
                            latest.value(),
                            "k" + key + " vanished but its latest record " + latest + " is no tombstone" + where);
                    assertTrue(
                            time.milliseconds() >= latest.writtenMs() + DELETE_RETENTION_MS,
                            "k" + key + "'s tombstone " + latest + " went before delete.retention.ms" + where);
                } else {
                    assertEquals(latest, seen, "k" + key + "'s last record" + where);
                }
            }
        }

        void close() {
            if (cleaner != null) {
                cleaner.close();
            }
            if (log != null && !log.isClosed()) {
                log.close();
            }
        }

        private static String text(ByteBuffer b) {
            return b == null
                    ? "null"
                    : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
        }
    }
}
