package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArraySerializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.GlobalKTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.processor.internals.CrashPoints;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global tables on the runtime, on the embedded broker and real files: the global stream thread restores the whole
 * table before the instance runs, every instance holds all of it, a restart restores only past the checkpoint, and a
 * crash between the store's commit and the checkpoint restarts correct.
 */
class GlobalTableRuntimeTest {
    private static final String STORE = "customers-store";

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> customers = builder.globalTable(
                "customers", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as(STORE));
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .join(customers, (orderId, customer) -> customer, (customer, name) -> customer + "=" + name)
                .to("enriched", Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    private static Properties props(Path dir, String guarantee) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "global-app");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        return props;
    }

    private static List<String[]> customers(int from, int to, String suffix) {
        List<String[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new String[] {"c" + i, "name" + i + suffix});
        }
        return out;
    }

    private static Map<String, String> contents(WeirStreams streams) {
        ReadOnlyKeyValueStore<String, String> store =
                streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, String> out = new HashMap<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(kv -> out.put(kv.key(), kv.value()));
        }
        return out;
    }

    private static Map<String, String> expected(List<String[]> writes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] kv : writes) {
            if (kv[1] == null) {
                out.remove(kv[0]);
            } else {
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    /** Counts, per store, the records restores replayed, as a user's listener would. */
    private static final class Restored implements StateRestoreListener {
        final AtomicLong total = new AtomicLong();

        @Override
        public void onRestoreEnd(TopicPartition topicPartition, String storeName, long totalRestored) {
            if (storeName.equals(STORE)) {
                total.addAndGet(totalRestored);
            }
        }
    }

    @Test
    void theGlobalTableIsWholeBeforeRunningOnEveryInstanceAndStreamsJoinIt(@TempDir Path a, @TempDir Path b)
            throws Exception {
        WeirStreams first = new WeirStreams(topology(), props(a, StreamsConfig.EXACTLY_ONCE_V2));
        String bootstrap = first.bootstrapServers();
        Properties secondProps = props(b, StreamsConfig.EXACTLY_ONCE_V2);
        secondProps.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "embedded:weir");
        try (WeirStreams second = new WeirStreams(topology(), secondProps)) {
            Cluster.createTopic(bootstrap, "customers", 3);
            Cluster.createTopic(bootstrap, "orders", 2);
            List<String[]> writes = new ArrayList<>(customers(0, 100, ""));
            Cluster.produce(bootstrap, "customers", writes);
            AtomicReference<Map<String, String>> atRunning = new AtomicReference<>();
            first.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING && atRunning.get() == null) {
                    atRunning.set(contents(first));
                }
            });
            first.start();
            second.start();
            Map<String, String> whole = expected(writes);
            assertEquals(whole, Cluster.eventually(atRunning::get, whole::equals), "the table at RUNNING");
            assertEquals(whole, contents(second), "the second instance restored the whole table before start returned");

            // Every order meets the whole table, on whichever instance its partition runs.
            List<String[]> orders = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                orders.add(new String[] {"o" + i, "c" + (i * 7 % 100)});
            }
            Cluster.produce(bootstrap, "orders", orders);
            Map<String, String> enriched = Cluster.latest(Cluster.readUntil(
                    bootstrap, "enriched", new StringDeserializer(), read -> read.size() >= orders.size()));
            for (String[] order : orders) {
                assertEquals(order[1] + "=name" + order[1].substring(1), enriched.get(order[0]));
            }

            // Updates and deletes after the start reach both instances.
            List<String[]> later = new ArrayList<>(customers(0, 10, "-v2"));
            later.add(new String[] {"c50", null});
            writes.addAll(later);
            Cluster.produce(bootstrap, "customers", later);
            Map<String, String> now = expected(writes);
            assertEquals(now, Cluster.eventually(() -> contents(first), now::equals));
            assertEquals(now, Cluster.eventually(() -> contents(second), now::equals));
        } finally {
            first.close();
        }
    }

    @Test
    void aRestartRestoresOnlyWhatCamePastTheCheckpoint(@TempDir Path dir) throws Exception {
        List<String[]> writes = new ArrayList<>(customers(0, 50, ""));
        Restored firstRestore = new Restored();
        try (WeirStreams streams = new WeirStreams(topology(), props(dir, StreamsConfig.AT_LEAST_ONCE))) {
            streams.setGlobalStateRestoreListener(firstRestore);
            Cluster.createTopic(streams.bootstrapServers(), "customers", 2);
            Cluster.createTopic(streams.bootstrapServers(), "orders", 1);
            Cluster.produce(streams.bootstrapServers(), "customers", writes);
            streams.start();
            assertEquals(expected(writes), contents(streams));
            // A global store is whole on every instance: no partition to route a key to.
            assertEquals(
                    -1,
                    streams.queryMetadataForKey(STORE, "c1", new io.weir.common.serialization.StringSerializer())
                            .partition());
        }
        assertEquals(50, firstRestore.total.get());
        assertTrue(Files.exists(dir.resolve("global-app").resolve("global").resolve(".checkpoint")));

        Restored secondRestore = new Restored();
        try (WeirStreams again = new WeirStreams(topology(), props(dir, StreamsConfig.AT_LEAST_ONCE))) {
            List<String[]> whileDown = customers(45, 60, "-new");
            writes.addAll(whileDown);
            Cluster.produce(again.bootstrapServers(), "customers", whileDown);
            again.setGlobalStateRestoreListener(secondRestore);
            again.start();
            assertEquals(expected(writes), contents(again));
            assertEquals(whileDown.size(), again.restoredRecords());
        }
        assertEquals(15, secondRestore.total.get(), "only the records written while it was down");
    }

    @Test
    void aCrashBetweenTheStoreCommitAndTheCheckpointReopensCorrect(@TempDir Path dir) throws Exception {
        List<String[]> writes = new ArrayList<>(customers(0, 20, ""));
        AtomicBoolean armed = new AtomicBoolean();
        java.util.concurrent.CountDownLatch halted = new java.util.concurrent.CountDownLatch(1);
        Properties crashing = props(dir, StreamsConfig.AT_LEAST_ONCE);
        // No checkpoint but the one the restore writes: every later update is past it.
        crashing.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 3_600_000);
        crashing.put(CrashPoints.HANDLER_CONFIG, (CrashPoints.Handler) (point, thread) -> {
            if (point.equals(CrashPoints.GLOBAL_AFTER_STORE_COMMIT) && armed.get()) {
                halted.countDown();
                throw new CrashPoints.Halt(point);
            }
        });
        Path checkpoint = dir.resolve("global-app").resolve("global").resolve(".checkpoint");
        String checkpointAtCrash;
        try (WeirStreams streams = new WeirStreams(topology(), crashing)) {
            Cluster.createTopic(streams.bootstrapServers(), "customers", 2);
            Cluster.createTopic(streams.bootstrapServers(), "orders", 1);
            Cluster.produce(streams.bootstrapServers(), "customers", writes);
            streams.start();
            String restoredCheckpoint = Files.readString(checkpoint, StandardCharsets.UTF_8);
            List<String[]> updates = new ArrayList<>(customers(10, 30, "-v2"));
            updates.add(new String[] {"c3", null});
            updates.add(new String[] {"c25", null});
            writes.addAll(updates);
            Cluster.produce(streams.bootstrapServers(), "customers", updates);
            Map<String, String> applied = expected(writes);
            assertEquals(applied, Cluster.eventually(() -> contents(streams), applied::equals));
            armed.set(true);
            List<String[]> last = new ArrayList<>();
            last.add(new String[] {"c0", "name0-last"});
            writes.addAll(last);
            Cluster.produce(streams.bootstrapServers(), "customers", last);
            // Halted right after its store committed the last write; the checkpoint did not move since the restore.
            assertTrue(halted.await(60, TimeUnit.SECONDS), "the global thread never reached the armed crash point");
            checkpointAtCrash = Files.readString(checkpoint, StandardCharsets.UTF_8);
            assertEquals(restoredCheckpoint, checkpointAtCrash);
        }
        assertEquals(checkpointAtCrash, Files.readString(checkpoint, StandardCharsets.UTF_8), "a halt writes nothing");

        Restored reopened = new Restored();
        try (WeirStreams again = new WeirStreams(topology(), props(dir, StreamsConfig.AT_LEAST_ONCE))) {
            again.setGlobalStateRestoreListener(reopened);
            again.start();
            assertEquals(expected(writes), contents(again), "replaying past the checkpoint over a store ahead of it");
        }
        assertEquals(23, reopened.total.get(), "the 23 updates after the checkpoint are replayed, no more");
    }

    @Test
    void aFailureOfTheGlobalThreadPutsTheInstanceInError(@TempDir Path dir) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("counts", Consumed.with(Serdes.String(), Serdes.Long()), Materialized.as(STORE));
        try (WeirStreams streams = new WeirStreams(builder.build(), props(dir, StreamsConfig.AT_LEAST_ONCE))) {
            Cluster.States states = new Cluster.States();
            streams.setStateListener(states);
            Cluster.createTopic(streams.bootstrapServers(), "counts", 1);
            streams.start();
            states.await(WeirStreams.State.RUNNING);
            try (Producer<byte[], byte[]> producer = Producer.create(
                    Map.of("bootstrap.servers", streams.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                // Three bytes are no long: the global thread's deserializer fails (log.and.fail by default).
                producer.send(new ProducerRecord<>("counts", "k".getBytes(StandardCharsets.UTF_8), new byte[3]))
                        .get(30, TimeUnit.SECONDS);
            }
            states.await(WeirStreams.State.ERROR);
            assertEquals(WeirStreams.State.ERROR, streams.state());
        }
    }
}
