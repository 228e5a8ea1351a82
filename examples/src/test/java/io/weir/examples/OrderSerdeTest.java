package io.weir.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrderSerdeTest {
    private final OrderSerde serde = new OrderSerde();

    @Test
    void writesCustomerCommaCentsAndReadsItBack() {
        byte[] bytes = serde.serializer().serialize("orders", new Order("customer-0042", 12_345));
        assertArrayEquals("customer-0042,12345".getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(new Order("customer-0042", 12_345), serde.deserializer().deserialize("orders", bytes));
    }

    @Test
    void passesNullThroughBothWays() {
        assertNull(serde.serializer().serialize("orders", null));
        assertNull(serde.deserializer().deserialize("orders", (byte[]) null));
    }

    @Test
    void rejectsTextThatIsNotAnOrderNamingTopicAndText() {
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserializer()
                .deserialize("orders", "no-amount".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("orders") && e.getMessage().contains("no-amount"), e.getMessage());
    }
}
