package io.weir.bench.streams;

import io.weir.bench.peer.PeerWorkload;
import io.weir.common.serialization.Serdes;
import io.weir.streams.KeyValue;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.Topology;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.StreamJoined;
import io.weir.streams.kstream.TimeWindows;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Weir side of the peer workloads ({@link PeerWorkload}), in Weir's API; the Kafka side is
 * {@code io.weir.bench.peer.KafkaStreamsProcess#topology}, the same operators in Kafka's. {@code processed} counts the
 * records that entered the topology.
 */
final class PeerTopologies {
    private PeerTopologies() {}

    /** The workload's topology writing to {@code output} (empty where Weir lacked an operator; today none). */
    static Optional<Topology> weir(PeerWorkload workload, String output, AtomicLong processed) {
        StreamsBuilder builder = new StreamsBuilder();
        switch (workload.kind()) {
            case WINDOWED_COUNT -> builder.stream(
                            workload.kind().inputs().get(0), Consumed.with(Serdes.String(), Serdes.String()))
                    .peek((k, v) -> processed.incrementAndGet())
                    .groupByKey()
                    .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(PeerWorkload.WINDOW_MS)))
                    .count(Materialized.as("counts"))
                    .toStream()
                    .map((windowed, count) -> KeyValue.pair(
                            windowed.key() + "@" + windowed.window().start(), count))
                    .to(output, Produced.with(Serdes.String(), Serdes.Long()));
            case JOIN -> {
                Consumed<String, String> consumed = Consumed.with(Serdes.String(), Serdes.String());
                KStream<String, String> left = builder.stream(
                                workload.kind().inputs().get(0), consumed)
                        .peek((k, v) -> processed.incrementAndGet());
                KStream<String, String> right = builder.stream(
                                workload.kind().inputs().get(1), consumed)
                        .peek((k, v) -> processed.incrementAndGet());
                left.join(
                                right,
                                (l, r) -> 1L,
                                JoinWindows.ofTimeDifferenceAndGrace(
                                        Duration.ofMillis(workload.joinMs()),
                                        Duration.ofMillis(workload.joinGraceMs())),
                                StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
            }
        }
        return Optional.of(builder.build());
    }
}
