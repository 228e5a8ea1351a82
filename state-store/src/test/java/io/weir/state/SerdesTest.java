package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.state.errors.SerializationException;
import io.weir.state.errors.UnregisteredClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SerdesTest {
    record Item(String sku, int quantity) {}

    record Order(long id, String customer, Item item) {}

    static final class Mutable {
        String name;
        long count;
    }

    @Test
    void kafkaCompatibleLayoutsForPlainNumericSerdes() {
        assertArrayEquals(new byte[] {0, 0, 1, 2}, Serdes.int32().serialize(258));
        assertArrayEquals(
                new byte[] {(byte) 0x80, 0, 1, 2}, Serdes.orderedInt32().serialize(258));
        assertArrayEquals(
                new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                Serdes.orderedInt32().serialize(-1));
        assertNull(Serdes.int64().serialize(null));
        assertNull(Serdes.string().deserialize(null));
    }

    @Test
    void wrongLengthIsASerializationErrorNamingTheType() {
        SerializationException e =
                assertThrows(SerializationException.class, () -> Serdes.int64().deserialize(new byte[3]));
        assertTrue(e.getMessage().contains("Long") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void kryoRoundTripsRegisteredRecords() {
        KryoSerde<Order> serde = KryoSerde.builder(Order.class)
                .register(Order.class)
                .register(Item.class)
                .build();
        Order order = new Order(7, "ada", new Item("sku-1", 3));
        assertEquals(order, serde.deserialize(serde.serialize(order)));
    }

    @Test
    void kryoUsesARegistrar() {
        KryoSerde<Mutable> serde = KryoSerde.builder(Mutable.class)
                .registrar(k -> k.register(Mutable.class))
                .build();
        Mutable m = new Mutable();
        m.name = "x";
        m.count = 42;
        Mutable back = serde.deserialize(serde.serialize(m));
        assertEquals("x", back.name);
        assertEquals(42, back.count);
    }

    @Test
    void kryoUnregisteredClassErrorNamesTheClassAndHowToRegister() {
        KryoSerde<Order> serde =
                KryoSerde.builder(Order.class).register(Order.class).build();
        UnregisteredClassException e = assertThrows(
                UnregisteredClassException.class, () -> serde.serialize(new Order(1, "a", new Item("s", 1))));
        assertEquals(Item.class.getName(), e.className());
        assertTrue(e.getMessage().contains("register(SerdesTest.Item.class)"), e.getMessage());
        assertTrue(e.getMessage().contains("KryoRegistrar"), e.getMessage());
    }

    @Test
    void kryoTopLevelUnregisteredClassIsNamedToo() {
        KryoSerde<Object> serde = KryoSerde.builder(Object.class).build();
        UnregisteredClassException e =
                assertThrows(UnregisteredClassException.class, () -> serde.serialize(new Item("s", 1)));
        assertEquals(Item.class.getName(), e.className());
    }

    @Test
    void kryoReadingBytesWrittenWithOtherRegistrationsFailsWithSerializationError() {
        KryoSerde<Order> writer = KryoSerde.builder(Order.class)
                .register(Item.class)
                .register(Order.class)
                .build();
        KryoSerde<Order> reader =
                KryoSerde.builder(Order.class).register(Order.class).build();
        byte[] bytes = writer.serialize(new Order(1, "a", new Item("s", 1)));
        assertThrows(SerializationException.class, () -> reader.deserialize(bytes));
    }

    @Test
    void kryoSerdeIsSafeAcrossThreads() throws Exception {
        KryoSerde<Order> serde = KryoSerde.builder(Order.class)
                .register(Order.class)
                .register(Item.class)
                .poolSize(2)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Order o = new Order(i, "c" + thread, new Item("s" + i, i));
                        if (!o.equals(serde.deserialize(serde.serialize(o)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void kryoStoreRoundTripThroughLmdb() {
        java.nio.file.Path dir = TestDirs.create("weir-kryo");
        KryoSerde<Order> serde = KryoSerde.builder(Order.class)
                .register(Order.class)
                .register(Item.class)
                .build();
        try (KeyValueStore<Long, Order> s = KeyValueStores.builder("orders", Serdes.orderedInt64(), serde)
                .lmdb(dir.resolve("s"))
                .config(TestDirs.fastConfig())
                .build()) {
            s.put(1L, new Order(1, "a", new Item("x", 2)));
            s.commit(0);
            assertEquals("x", s.get(1L).item().sku());
        } finally {
            TestDirs.delete(dir);
        }
    }
}
