package io.weir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's opening code, as written there: if this stops compiling or passing, the README is wrong. */
class ReadmeTopologyTest {

    @Test
    void theReadmesRevenueTopologyRunsAsShown(@TempDir Path dir) throws Exception {
        String stateDir = dir.toString();
        // From here to the query: the README's code.
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), new OrderSerde())) // keyed by order id
                .groupBy(
                        (orderId, order) -> order.customer(),
                        Grouped.with("orders-by-customer", Serdes.String(), new OrderSerde()))
                .aggregate(
                        () -> 0L,
                        (customer, order, cents) -> cents + order.amountCents(),
                        Materialized.<String, Long, StateStore>as("revenue").withValueSerde(Serdes.Long()))
                .toStream()
                .to("revenue", Produced.with(Serdes.String(), Serdes.Long()));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "orders-revenue");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        try (WeirStreams streams = new WeirStreams(builder.build(), props)) {
            Topics.createIfMissing(streams.bootstrapServers(), Map.of("orders", 2, "revenue", 2));
            streams.start();
            ReadOnlyKeyValueStore<String, Long> revenue =
                    streams.store(StoreQueryParameters.fromNameAndType("revenue", QueryableStoreTypes.keyValueStore()));

            try (Producer<String, Order> producer = Producer.create(
                    Map.of("bootstrap.servers", streams.bootstrapServers()),
                    new StringSerializer(),
                    new OrderSerde().serializer())) {
                producer.send(new ProducerRecord<>("orders", "order-1", new Order("customer-0042", 1_250)));
                producer.send(new ProducerRecord<>("orders", "order-2", new Order("customer-0007", 99)));
                producer.send(new ProducerRecord<>("orders", "order-3", new Order("customer-0042", 750)));
            }
            assertEquals(2_000L, awaitValue(revenue, "customer-0042", 2_000L));
            assertEquals(99L, awaitValue(revenue, "customer-0007", 99L));
        }
    }

    private static Long awaitValue(ReadOnlyKeyValueStore<String, Long> store, String key, long wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Long value = null;
        while (System.nanoTime() < deadline) {
            try {
                value = store.get(key);
            } catch (InvalidStateStoreException e) {
                value = null; // still rebalancing
            }
            if (value != null && value == wanted) {
                return value;
            }
            Thread.onSpinWait(); // the store commits just after the output it is compared with: a step behind
        }
        return value;
    }
}
