package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.StreamsNotStartedException;
import io.weir.streams.errors.UnknownStateStoreException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime end to end on its own embedded broker, on real files. */
class WeirStreamsTest {

    static Topology wordCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    static Properties props(Path stateDir, String guarantee) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        return props;
    }

    private static List<String[]> lines(int from, int to) {
        List<String[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new String[] {"k" + i, "w" + (i % 7) + " w" + (i % 3) + " all"});
        }
        return out;
    }

    private static Map<String, Long> expectedCounts(int to) {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < to; i++) {
            for (String w : new String[] {"w" + (i % 7), "w" + (i % 3), "all"}) {
                out.merge(w, 1L, Long::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> contents(ReadOnlyKeyValueStore<String, Long> store) {
        Map<String, Long> out = new HashMap<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(kv -> out.put(kv.key(), kv.value()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void countsWordsQueriesTheStoreAndRestartsFromItsCheckpoint(String guarantee, @TempDir Path dir) throws Exception {
        Map<String, Long> expected = expectedCounts(200);
        try (WeirStreams streams = new WeirStreams(wordCount(), props(dir, guarantee))) {
            Cluster.States states = new Cluster.States();
            streams.setStateListener(states);
            Cluster.createTopic(streams.bootstrapServers(), "lines", 3);
            assertThrows(
                    StreamsNotStartedException.class,
                    () -> streams.store(
                            StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore())));
            streams.start();
            Cluster.produce(streams.bootstrapServers(), "lines", lines(0, 200));
            Map<String, Long> output = Cluster.latest(Cluster.readUntil(
                    streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expected)));
            assertEquals(expected, output);
            states.await(WeirStreams.State.RUNNING);

            ReadOnlyKeyValueStore<String, Long> counts =
                    streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            // A store commits just after the broker commit that made the output visible: it may lag by one commit.
            Map<String, Long> queried = Cluster.eventually(() -> contents(counts), expected::equals);
            assertEquals(expected, queried);
            assertEquals(expected.get("all"), counts.get("all"));
            assertThrows(
                    UnknownStateStoreException.class,
                    () -> streams.store(
                            StoreQueryParameters.fromNameAndType("nope", QueryableStoreTypes.keyValueStore())));
        }

        Map<String, Long> expectedAfter = expectedCounts(300);
        try (WeirStreams again = new WeirStreams(wordCount(), props(dir, guarantee))) {
            again.start();
            Cluster.produce(again.bootstrapServers(), "lines", lines(200, 300));
            Map<String, Long> output = Cluster.latest(Cluster.readUntil(
                    again.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expectedAfter)));
            assertEquals(expectedAfter, output);
            assertEquals(0, again.restoredRecords(), "after a clean close every store is at its changelog's end");
        }
    }

    @Test
    void twoThreadsShareTheTasksAndCountExactlyOnce(@TempDir Path dir) throws Exception {
        Properties props = props(dir, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        Map<String, Long> expected = expectedCounts(300);
        try (WeirStreams streams = new WeirStreams(wordCount(), props)) {
            Cluster.createTopic(streams.bootstrapServers(), "lines", 4);
            streams.start();
            Cluster.produce(streams.bootstrapServers(), "lines", lines(0, 300));
            Map<String, Long> output = Cluster.latest(Cluster.readUntil(
                    streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expected)));
            assertEquals(expected, output);
            assertEquals(2, streams.metadataForLocalThreads().size());
            // The second thread may join after the first took every task; the next rebalance splits them.
            List<Integer> split = Cluster.eventually(
                    () -> streams.metadataForLocalThreads().stream()
                            .map(t -> t.activeTasks().size())
                            .toList(),
                    sizes -> sizes.equals(List.of(4, 4)));
            assertEquals(List.of(4, 4), split);
            Cluster.produce(streams.bootstrapServers(), "lines", lines(300, 400));
            Map<String, Long> after = expectedCounts(400);
            assertEquals(
                    after,
                    Cluster.latest(Cluster.readUntil(
                            streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(
                                            read)
                                    .equals(after))));
            ReadOnlyKeyValueStore<String, Long> counts =
                    streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            assertEquals(after, Cluster.eventually(() -> contents(counts), after::equals));
        }
    }

    @Test
    void aQueryIteratorLeftOpenDoesNotHoldTheStoreWhenItsTaskCloses(@TempDir Path dir) throws Exception {
        WeirStreams streams = new WeirStreams(wordCount(), props(dir, StreamsConfig.AT_LEAST_ONCE));
        Cluster.createTopic(streams.bootstrapServers(), "lines", 1);
        streams.start();
        Cluster.produce(streams.bootstrapServers(), "lines", lines(0, 20));
        Cluster.readUntil(
                streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                        .equals(expectedCounts(20)));
        ReadOnlyKeyValueStore<String, Long> counts =
                streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
        KeyValueIterator<String, Long> forgotten = counts.all();
        assertTrue(forgotten.hasNext());
        long start = System.nanoTime();
        assertTrue(streams.close(java.time.Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "the close waited for the iterator");
        assertThrows(io.weir.streams.errors.StateStoreMigratedException.class, forgotten::next);
    }

    @Test
    void aCheckpointPastTheChangelogsEndWipesTheStoreInsteadOfFailing(@TempDir Path dir) throws Exception {
        Properties props = props(dir, StreamsConfig.AT_LEAST_ONCE);
        try (WeirStreams streams = new WeirStreams(wordCount(), props)) {
            Cluster.createTopic(streams.bootstrapServers(), "lines", 1);
            streams.start();
            Cluster.produce(streams.bootstrapServers(), "lines", lines(0, 20));
            Cluster.readUntil(
                    streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expectedCounts(20)));
        }
        try (WeirStreams again = new WeirStreams(wordCount(), props)) {
            // The changelog is recreated empty: the store's checkpoint now lies past its end.
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", again.bootstrapServers()))) {
                admin.deleteTopics(List.of("word-count-counts-changelog")).all().get(30, TimeUnit.SECONDS);
                admin.createTopics(List.of(
                                new NewTopic("word-count-counts-changelog", 1, Map.of("cleanup.policy", "compact"))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Cluster.States states = new Cluster.States();
            again.setStateListener(states);
            again.start();
            states.await(WeirStreams.State.RUNNING);
            ReadOnlyKeyValueStore<String, Long> counts =
                    again.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            assertEquals(Map.of(), contents(counts), "the wiped store restored what its new changelog holds");
            assertEquals(WeirStreams.State.RUNNING, again.state());
        }
    }

    @Test
    void aTransactionTheBrokerTimedOutRestartsTheTasksAndLosesNothing(@TempDir Path dir) throws Exception {
        AtomicInteger slowed = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                .peek((k, v) -> {
                    if (v.equals("slow") && slowed.getAndIncrement() == 0) {
                        // User code slower than transaction.timeout.ms: the broker aborts the transaction.
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2_500));
                    }
                })
                .to("copies", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = props(dir, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.PRODUCER_PREFIX + "transaction.timeout.ms", 1_000);
        props.put(StreamsConfig.BROKER_PREFIX + "transaction.abort.timed.out.transaction.cleanup.interval.ms", 100);
        try (WeirStreams streams = new WeirStreams(builder.build(), props)) {
            Cluster.createTopic(streams.bootstrapServers(), "lines", 1);
            streams.start();
            List<String[]> input = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                input.add(new String[] {"k" + i, i == 5 ? "slow" : "v" + i});
            }
            Cluster.produce(streams.bootstrapServers(), "lines", input);
            var copies = Cluster.readUntil(
                    streams.bootstrapServers(), "copies", new StringDeserializer(), read -> read.size() >= 10);
            assertEquals(
                    input.stream().map(kv -> kv[1]).toList(),
                    copies.stream().map(r -> r.value()).toList(),
                    "each record exactly once, in order");
            assertTrue(slowed.get() >= 2, "the slow record was processed again after the abort");
            assertTrue(streams.state().isRunningOrRebalancing(), streams.state().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE})
    void cleanUpRestoresEveryStoreFromItsChangelog(String guarantee, @TempDir Path dir) throws Exception {
        Map<String, Long> expected = expectedCounts(50);
        try (WeirStreams streams = new WeirStreams(wordCount(), props(dir, guarantee))) {
            Cluster.createTopic(streams.bootstrapServers(), "lines", 2);
            streams.start();
            Cluster.produce(streams.bootstrapServers(), "lines", lines(0, 50));
            Cluster.readUntil(
                    streams.bootstrapServers(), "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expected));
        }
        WeirStreams again = new WeirStreams(wordCount(), props(dir, guarantee));
        again.cleanUp();
        Cluster.States states = new Cluster.States();
        again.setStateListener(states);
        again.start();
        states.await(WeirStreams.State.RUNNING);
        ReadOnlyKeyValueStore<String, Long> counts =
                again.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
        assertEquals(expected.get("all"), counts.get("all"));
        assertTrue(again.restoredRecords() >= expected.size(), "restored " + again.restoredRecords());
        again.close();
        assertEquals(WeirStreams.State.NOT_RUNNING, again.state());
    }
}
