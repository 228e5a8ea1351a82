package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.LogAndContinueExceptionHandler;
import io.weir.streams.errors.MissingSourceTopicException;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Produced;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runtime does with bad input, failing user code and misconfiguration. */
class RuntimeFailuresTest {

    private static Properties props(Path dir) {
        return WeirStreamsTest.props(dir, StreamsConfig.EXACTLY_ONCE_V2);
    }

    /** Numbers in, each one doubled out; "in" carries longs as 8 bytes. */
    private static Topology doubler(java.util.function.LongUnaryOperator op) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .mapValues(v -> op.applyAsLong(v))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static void produceLongs(String bootstrap, long... values) throws Exception {
        try (var producer = io.weir.clients.producer.Producer.create(
                java.util.Map.of("bootstrap.servers", bootstrap),
                new io.weir.common.serialization.StringSerializer(),
                new io.weir.common.serialization.LongSerializer())) {
            for (long v : values) {
                producer.send(new io.weir.clients.producer.ProducerRecord<>("in", "k" + v, v))
                        .get();
            }
        }
    }

    @Test
    void aRecordThatCannotBeDeserializedIsSkippedByLogAndContinue(@TempDir Path dir) throws Exception {
        Properties props = props(dir);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        try (WeirStreams streams = new WeirStreams(doubler(v -> v * 2), props)) {
            Cluster.createTopic(streams.bootstrapServers(), "in", 1);
            streams.start();
            produceLongs(streams.bootstrapServers(), 1);
            Cluster.produce(streams.bootstrapServers(), "in", List.<String[]>of(new String[] {"bad", "abc"}));
            produceLongs(streams.bootstrapServers(), 2);
            var out = Cluster.readUntil(
                    streams.bootstrapServers(), "out", new LongDeserializer(), read -> read.size() >= 2);
            assertEquals(List.of(2L, 4L), out.stream().map(r -> r.value()).toList());
            assertEquals(WeirStreams.State.RUNNING, streams.state());
        }
    }

    @Test
    void aRecordThatCannotBeDeserializedStopsTheClientByDefault(@TempDir Path dir) throws Exception {
        Cluster.States states = new Cluster.States();
        List<Throwable> died = new ArrayList<>();
        try (WeirStreams streams = new WeirStreams(doubler(v -> v * 2), props(dir))) {
            streams.setStateListener(states);
            streams.setUncaughtExceptionHandler(e -> {
                synchronized (died) {
                    died.add(e);
                }
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            Cluster.createTopic(streams.bootstrapServers(), "in", 1);
            streams.start();
            Cluster.produce(streams.bootstrapServers(), "in", List.<String[]>of(new String[] {"bad", "abc"}));
            states.await(WeirStreams.State.ERROR);
            assertTrue(
                    states.seen().contains(WeirStreams.State.PENDING_ERROR),
                    states.seen().toString());
        }
        synchronized (died) {
            assertEquals(1, died.size());
            String message = died.get(0).getMessage();
            assertTrue(message.contains("in-0") && message.contains("offset 0"), message);
        }
    }

    @Test
    void replaceThreadReprocessesTheFailedRecordExactlyOnce(@TempDir Path dir) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        Topology topology = doubler(v -> {
            if (v == 3 && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("a bug that strikes once");
            }
            return v * 2;
        });
        try (WeirStreams streams = new WeirStreams(topology, props(dir))) {
            streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
            Cluster.createTopic(streams.bootstrapServers(), "in", 1);
            streams.start();
            produceLongs(streams.bootstrapServers(), 1, 2, 3, 4, 5);
            var out = Cluster.readUntil(
                    streams.bootstrapServers(), "out", new LongDeserializer(), read -> read.size() >= 5);
            assertEquals(
                    List.of(2L, 4L, 6L, 8L, 10L),
                    out.stream().map(r -> r.value()).toList());
            assertEquals(1, failures.get() - 1, "the record failed once, then went through");
            assertTrue(streams.state().isRunningOrRebalancing(), streams.state().toString());
        }
    }

    @Test
    void aMissingSourceTopicFailsTheStartAndSaysWhich(@TempDir Path dir) {
        try (WeirStreams streams = new WeirStreams(doubler(v -> v), props(dir))) {
            MissingSourceTopicException e = assertThrows(MissingSourceTopicException.class, streams::start);
            assertTrue(e.getMessage().contains("[in]"), e.getMessage());
            assertEquals(WeirStreams.State.ERROR, streams.state());
        }
    }

    @Test
    void twoInstancesCannotShareAStateDirectory(@TempDir Path dir) throws Exception {
        try (WeirStreams first = new WeirStreams(doubler(v -> v), props(dir))) {
            Cluster.createTopic(first.bootstrapServers(), "in", 1);
            first.start();
            Properties props = props(dir);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers());
            try (WeirStreams second = new WeirStreams(doubler(v -> v), props)) {
                StreamsException e = assertThrows(StreamsException.class, second::start);
                assertTrue(e.getMessage().contains("in use by another running instance"), e.getMessage());
            }
        }
    }

    /** A stateful topology whose aggregation store has a generated name, shifted by an extra operator. */
    private static Topology counting(boolean extraOperatorFirst) {
        StreamsBuilder builder = new StreamsBuilder();
        var in = builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()));
        if (extraOperatorFirst) {
            in = in.filter((k, v) -> true);
        }
        in.groupByKey().count().toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    @Test
    void aRestartWhoseTopologyRenamedGeneratedStateIsRefusedUnlessAccepted(@TempDir Path dir) throws Exception {
        try (WeirStreams streams = new WeirStreams(counting(false), props(dir))) {
            Cluster.createTopic(streams.bootstrapServers(), "in", 1);
            streams.start();
            produceLongs(streams.bootstrapServers(), 7);
            Cluster.readUntil(streams.bootstrapServers(), "out", new LongDeserializer(), read -> !read.isEmpty());
        }
        try (WeirStreams renamed = new WeirStreams(counting(true), props(dir))) {
            StreamsException e = assertThrows(StreamsException.class, renamed::start);
            assertTrue(
                    e.getMessage().contains("KSTREAM-AGGREGATE-STATE-STORE-0000000001")
                            && e.getMessage().contains("KSTREAM-AGGREGATE-STATE-STORE-0000000002"),
                    e.getMessage());
        }
        Properties accept = props(dir);
        accept.put(StreamsConfig.ACCEPT_RENAMED_STATE_CONFIG, "true");
        try (WeirStreams accepted = new WeirStreams(counting(true), accept)) {
            Cluster.States states = new Cluster.States();
            accepted.setStateListener(states);
            accepted.start();
            states.await(WeirStreams.State.RUNNING);
        }
        assertEquals("k7", new StringDeserializer().deserialize("t", "k7".getBytes()));
    }
}
