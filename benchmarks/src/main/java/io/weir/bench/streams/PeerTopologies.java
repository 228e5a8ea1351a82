package io.weir.bench.streams;

import io.weir.bench.peer.PeerWorkload;
import io.weir.common.serialization.Serdes;
import io.weir.streams.KeyValue;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.Topology;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
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

    /** The workload's topology writing to {@code output}, or empty where Weir lacks an operator it needs. */
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
                // KStream.join(KStream, ValueJoiner, JoinWindows, StreamJoined) is being built on branch `joins`.
                // Once merged, this case is KafkaStreamsProcess#topology's JOIN case in Weir's API: two streams
                // (left and right inputs) each peeking into `processed`, left.join(right, (l, r) -> 1L,
                // JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(workload.joinMs())),
                // StreamJoined.with(String, String, String)).to(output, Produced.with(String, Long)).
                return Optional.empty();
            }
        }
        return Optional.of(builder.build());
    }
}
