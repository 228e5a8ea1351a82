package io.weir.properties;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.OffsetSpec;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.Serdes;
import io.weir.streams.KeyValue;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.processor.internals.CrashPoints;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the application {@link StreamsRun} checks, on its own {@code state.dir}, with one stream thread and
 * an in-process {@link CrashPoints.Handler} that can halt it at a commit point (as a kill would, see
 * {@link CrashPoints.Halt}) or freeze it there until released (a zombie in the making).
 *
 * <p>The topology, one sub-topology reading {@code in} and {@code tbl}: a stateless chain (filter, mapValues) to
 * {@code out-chain}; an aggregation per key (the values joined in order, so that order and exactly-once both show) in
 * store {@code agg}, its changes to {@code out-agg}; and a stream-table join of {@code in} with table {@code tbl}
 * (store {@code tbl}) to {@code out-join}.
 *
 * <p>The handler runs on the stream thread; the rest on the test thread.
 */
final class StreamsInstance implements CrashPoints.Handler {
    static final List<String> STORES = List.of("agg", "tbl");

    final Path stateDir;
    final WeirStreams streams;
    private final String applicationId;
    private final Admin admin;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile String haltAt;
    private volatile CountDownLatch frozen;
    private volatile CountDownLatch release;
    private volatile boolean resumed;
    private volatile boolean zombieCommitted;
    private volatile String haltedAt;
    /** Changelog records (end offsets summed) at the last store commit. */
    private volatile long changelogAtStoreCommit;

    StreamsInstance(
            StreamsRun.Names names,
            String bootstrap,
            Path stateDir,
            Admin admin,
            long changelogAtStoreCommit,
            Map<String, Object> extra) {
        this.stateDir = stateDir;
        this.applicationId = names.applicationId();
        this.admin = admin;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, names.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
        props.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.PRODUCER_PREFIX + "linger.ms", 0);
        props.put(CrashPoints.HANDLER_CONFIG, this);
        props.putAll(extra);
        this.changelogAtStoreCommit = changelogAtStoreCommit;
        streams = new WeirStreams(topology(names), props);
        streams.setStateListener((now, before) -> {
            if (now == WeirStreams.State.RUNNING) {
                running.countDown();
            }
            if (now.hasCompletedShutdown() || now == WeirStreams.State.PENDING_ERROR) {
                stopped.countDown();
            }
        });
        streams.start();
    }

    static Topology topology(StreamsRun.Names names) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> in = builder.stream(names.in());
        in.filter((k, v) -> !v.endsWith("3")).mapValues(v -> v + "!").to(names.outChain());
        in.groupByKey()
                .aggregate(() -> "", (k, v, acc) -> acc + v + ",", Materialized.as("agg"))
                .toStream()
                .to(names.outAgg());
        in.join(builder.table(names.tbl(), Materialized.as("tbl")), (v, t) -> v + "@" + t)
                .to(names.outJoin());
        return builder.build();
    }

    void awaitRunning() {
        await(running, "instance on " + stateDir + " to run");
    }

    void awaitStopped() {
        await(stopped, "instance on " + stateDir + " to stop");
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for the " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Halts the thread the next time it reaches {@code point}. */
    void haltAt(String point) {
        haltAt = point;
    }

    /** Where it halted, or null. */
    String haltedAt() {
        return haltedAt;
    }

    /** Freezes the thread the next time it reaches the broker commit, until {@link #resume}. */
    void freezeBeforeBrokerCommit() {
        release = new CountDownLatch(1);
        frozen = new CountDownLatch(1);
    }

    void awaitFrozen() {
        await(frozen, "instance on " + stateDir + " to freeze");
    }

    /** Lets a frozen instance go on as a zombie: whatever commit point it reaches next, it is halted there. */
    void resume() {
        resumed = true;
        release.countDown();
    }

    /** Lets a frozen instance go on as before. */
    void thaw() {
        release.countDown();
    }

    /** Whether the thread, resumed after another instance took over, went on to commit: a zombie's commit. */
    boolean zombieCommitted() {
        return zombieCommitted;
    }

    /** The changelogs' records (end offsets summed) at the last store commit this or an earlier instance made. */
    long changelogAtStoreCommit() {
        return changelogAtStoreCommit;
    }

    @Override
    public void reached(String point, String thread) {
        CountDownLatch freeze = frozen;
        if (freeze != null && point.equals(CrashPoints.BEFORE_BROKER_COMMIT) && release.getCount() > 0) {
            freeze.countDown();
            await(release, "release of the frozen instance on " + stateDir);
            return;
        }
        if (resumed) {
            // A resumed zombie must not get past its broker commit; whatever it reaches next, it is killed there.
            if (point.equals(CrashPoints.AFTER_BROKER_COMMIT)) {
                zombieCommitted = true;
            }
            haltedAt = point;
            throw new CrashPoints.Halt(point);
        }
        if (point.equals(CrashPoints.AFTER_STORE_COMMIT)) {
            changelogAtStoreCommit = changelogRecords();
        }
        if (point.equals(haltAt)) {
            haltAt = null;
            haltedAt = point;
            throw new CrashPoints.Halt(point);
        }
    }

    private long changelogRecords() {
        try {
            return changelogRecords(admin, applicationId);
        } catch (RuntimeException e) {
            return 0; // before the application created its changelogs
        }
    }

    /** The end offsets of an application's store changelogs, summed: what they hold, markers included. */
    static long changelogRecords(Admin admin, String applicationId) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (String store : STORES) {
            for (int p = 0; p < StreamsRun.PARTITIONS; p++) {
                specs.put(new TopicPartition(applicationId + "-" + store + "-changelog", p), OffsetSpec.latest());
            }
        }
        try {
            return admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the changelogs' ends of " + applicationId, e);
        }
    }

    /** The aggregation store's rows as a query sees them, or null while it cannot be queried (restoring, moving). */
    Map<String, String> queryAgg() {
        return query("agg");
    }

    Map<String, String> query(String store) {
        try {
            ReadOnlyKeyValueStore<String, String> view =
                    streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            Map<String, String> rows = new HashMap<>();
            try (KeyValueIterator<String, String> all = view.all()) {
                List<KeyValue<String, String>> read = new ArrayList<>();
                all.forEachRemaining(read::add);
                read.forEach(kv -> rows.put(kv.key(), kv.value()));
            }
            return rows;
        } catch (RuntimeException e) {
            return null;
        }
    }

    long restoredRecords() {
        return streams.restoredRecords();
    }

    boolean isRunning() {
        return streams.state() == WeirStreams.State.RUNNING;
    }

    void close() {
        streams.close(Duration.ofSeconds(60));
    }
}
