package io.weir.examples;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import java.nio.charset.StandardCharsets;

/**
 * {@link Order}'s serde, written on the public {@link Serde} interface as an application would: UTF-8 text
 * {@code customer,amountCents}, so the topic stays readable with any console consumer. A null order is a null value
 * (a tombstone) both ways.
 */
public final class OrderSerde implements Serde<Order> {

    @Override
    public Serializer<Order> serializer() {
        return (topic, order) ->
                order == null ? null : (order.customer() + "," + order.amountCents()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Deserializer<Order> deserializer() {
        return (topic, bytes) -> bytes == null ? null : parse(topic, new String(bytes, StandardCharsets.UTF_8));
    }

    private static Order parse(String topic, String text) {
        int comma = text.lastIndexOf(',');
        try {
            return new Order(text.substring(0, Math.max(comma, 0)), Long.parseLong(text.substring(comma + 1)));
        } catch (IllegalArgumentException e) {
            throw new SerializationException(
                    "Not an order (customer,amountCents) on topic " + topic + ": \"" + text + "\"", e);
        }
    }
}
