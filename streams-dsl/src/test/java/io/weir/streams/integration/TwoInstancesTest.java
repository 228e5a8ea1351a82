package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.KeyQueryMetadata;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.ThreadMetadata;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Produced;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application share its tasks through the consumer group, on one embedded broker: the second
 * takes half the tasks when it starts, and all of them when the first leaves; the counts stay exactly-once
 * throughout.
 */
class TwoInstancesTest {

    private static Properties props(Path stateDir, String bootstrap, String endpoint) {
        Properties props = WeirStreamsTest.props(stateDir, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint);
        if (bootstrap != null) {
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
        return props;
    }

    private static int tasks(WeirStreams streams) {
        int n = 0;
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            n += thread.activeTasks().size();
        }
        return n;
    }

    private static List<String[]> lines(int from, int to) {
        List<String[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new String[] {"k" + i, "w" + (i % 11) + " all"});
        }
        return out;
    }

    private static Map<String, Long> expected(int to) {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < to; i++) {
            out.merge("w" + (i % 11), 1L, Long::sum);
            out.merge("all", 1L, Long::sum);
        }
        return out;
    }

    @Test
    void theSecondInstanceSharesTheTasksThenTakesThemAllWhenTheFirstLeaves(@TempDir Path a, @TempDir Path b)
            throws Exception {
        WeirStreams first = new WeirStreams(WeirStreamsTest.wordCount(), props(a, null, "host-a:7001"));
        String bootstrap = first.bootstrapServers();
        try (WeirStreams second =
                new WeirStreams(WeirStreamsTest.wordCount(), props(b, "embedded:weir", "host-b:7002"))) {
            Cluster.createTopic(bootstrap, "lines", 4);
            first.start();
            Cluster.produce(bootstrap, "lines", lines(0, 200));
            Cluster.readUntil(bootstrap, "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                    .equals(expected(200)));

            second.start();
            // 4 partitions of "lines" and 4 of the repartition topic: 8 tasks, split between the instances.
            Cluster.eventually(() -> tasks(first) + "/" + tasks(second), split -> split.equals("4/4"));
            assertEquals(4, tasks(second));
            checkMetadata(first, second);
            Cluster.produce(bootstrap, "lines", lines(200, 400));
            Cluster.readUntil(bootstrap, "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                    .equals(expected(400)));

            assertTrue(first.close(new WeirStreams.CloseOptions().leaveGroup(true)));
            Cluster.produce(bootstrap, "lines", lines(400, 600));
            Map<String, Long> output = Cluster.latest(
                    Cluster.readUntil(bootstrap, "word-counts", new LongDeserializer(), read -> Cluster.latest(read)
                            .equals(expected(600))));
            assertEquals(expected(600), output);
            assertEquals(8, tasks(second));

            ReadOnlyKeyValueStore<String, Long> counts =
                    second.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            Map<String, Long> queried = Cluster.eventually(() -> contents(counts), expected(600)::equals);
            assertEquals(expected(600), queried);
        } finally {
            first.close();
        }
    }

    @Test
    void shutdownApplicationStopsEveryInstance(@TempDir Path a, @TempDir Path b) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (v.equals("poison")) {
                        throw new IllegalArgumentException("poison");
                    }
                    return v;
                })
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        WeirStreams first = new WeirStreams(builder.build(), props(a, null, "host-a:7001"));
        Cluster.States firstStates = new Cluster.States();
        Cluster.States secondStates = new Cluster.States();
        java.util.concurrent.atomic.AtomicInteger deaths = new java.util.concurrent.atomic.AtomicInteger();
        try (WeirStreams second = new WeirStreams(builder.build(), props(b, "embedded:weir", "host-b:7002"))) {
            first.setStateListener(firstStates);
            second.setStateListener(secondStates);
            first.setUncaughtExceptionHandler(e -> {
                deaths.incrementAndGet();
                return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
            });
            second.setUncaughtExceptionHandler(e -> {
                deaths.incrementAndGet();
                return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
            });
            Cluster.createTopic(first.bootstrapServers(), "in", 2);
            first.start();
            second.start();
            Cluster.eventually(() -> tasks(first) + tasks(second), n -> n == 2 && tasks(first) == 1);
            // Poison only the partition the first instance owns: the second fails only because it is asked to.
            int owned = first.metadataForLocalThreads()
                    .iterator()
                    .next()
                    .activeTasks()
                    .iterator()
                    .next()
                    .taskId()
                    .partition();
            try (var producer = io.weir.clients.producer.Producer.create(
                    Map.of("bootstrap.servers", first.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new io.weir.clients.producer.ProducerRecord<>("in", owned, "k", "poison"))
                        .get();
            }
            firstStates.await(WeirStreams.State.ERROR);
            secondStates.await(WeirStreams.State.ERROR);
            assertEquals(1, deaths.get(), "only the first instance's thread failed");
        } finally {
            first.close();
        }
    }

    /** Both instances agree on who hosts what, and a key's host holds it in its store. */
    private static void checkMetadata(WeirStreams first, WeirStreams second) {
        Cluster.eventually(() -> first.streamsMetadataForStore("counts").size(), n -> n == 2);
        for (WeirStreams instance : List.of(first, second)) {
            var hosts = instance.streamsMetadataForStore("counts").stream()
                    .map(m -> m.hostInfo().toString())
                    .collect(java.util.stream.Collectors.toSet());
            assertEquals(java.util.Set.of("host-a:7001", "host-b:7002"), hosts);
        }
        for (String word : List.of("all", "w0", "w1", "w2", "w3")) {
            KeyQueryMetadata where = first.queryMetadataForKey("counts", word, new StringSerializer());
            assertEquals(where, second.queryMetadataForKey("counts", word, new StringSerializer()));
            WeirStreams host = where.activeHost().port() == 7001 ? first : second;
            ReadOnlyKeyValueStore<String, Long> partition = host.store(
                    StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.<String, Long>keyValueStore())
                            .withPartition(where.partition()));
            assertTrue(
                    partition.get(word) != null, word + " is not in partition " + where.partition() + " of " + where);
        }
    }

    private static Map<String, Long> contents(ReadOnlyKeyValueStore<String, Long> store) {
        Map<String, Long> out = new HashMap<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(kv -> out.put(kv.key(), kv.value()));
        }
        return out;
    }
}
