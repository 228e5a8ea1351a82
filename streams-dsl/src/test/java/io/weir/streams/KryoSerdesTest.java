package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.state.errors.UnregisteredClassException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StateStore;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The Kryo serde as the DSL takes it: round trips, nulls, unregistered classes, and use in a topology. */
class KryoSerdesTest {
    record Item(String sku, int quantity) {}

    record Order(String customer, List<Item> items) {}

    private static Serde<Order> orders() {
        return KryoSerdes.kryo(Order.class, Order.class, Item.class, java.util.ArrayList.class);
    }

    @Test
    void roundTripsAndKeepsNullsNull() {
        Serde<Order> serde = orders();
        Order order = new Order("c1", new java.util.ArrayList<>(List.of(new Item("a", 2), new Item("b", 1))));
        byte[] bytes = serde.serializer().serialize("t", order);
        assertEquals(order, serde.deserializer().deserialize("t", bytes));
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", (byte[]) null));
    }

    @Test
    void anUnregisteredClassIsRefusedByName() {
        Serde<Order> serde = KryoSerdes.kryo(Order.class, Order.class);
        Order order = new Order("c1", new java.util.ArrayList<>(List.of(new Item("a", 2))));
        assertThrows(UnregisteredClassException.class, () -> serde.serializer().serialize("t", order));
    }

    @Test
    void aTopologyAggregatesTheUsersOwnType() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), orders()))
                .groupBy(
                        (id, order) -> order.customer(),
                        io.weir.streams.kstream.Grouped.with(Serdes.String(), orders()))
                .aggregate(
                        () -> 0L,
                        (customer, order, sum) -> sum
                                + order.items().stream()
                                        .mapToInt(Item::quantity)
                                        .sum(),
                        Materialized.<String, Long, StateStore>as("items").withValueSerde(Serdes.Long()))
                .toStream()
                .to("items", Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kryo");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            var in = driver.createInputTopic("orders", Serdes.String().serializer(), orders().serializer());
            in.pipeInput("o1", new Order("c1", new java.util.ArrayList<>(List.of(new Item("a", 2)))));
            in.pipeInput("o2", new Order("c1", new java.util.ArrayList<>(List.of(new Item("b", 3)))));
            assertEquals(5L, driver.<String, Long>getKeyValueStore("items").get("c1"));
        }
    }
}
