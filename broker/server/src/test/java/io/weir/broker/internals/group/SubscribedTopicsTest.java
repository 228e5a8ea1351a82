package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.junit.jupiter.api.Test;

/** The topics of a subscription, read as Kafka's group coordinator reads them for OffsetDelete. */
class SubscribedTopicsTest {

    @Test
    void readsTheTopicsOfEverySubscriptionVersionKafkaClientsWrite() {
        Subscription subscription = new Subscription(List.of("orders", "payments"), ByteBuffer.wrap(new byte[] {1, 2}));
        for (short version = 0;
                version <= org.apache.kafka.common.message.ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION;
                version++) {
            ByteBuffer bytes = ConsumerProtocol.serializeSubscription(subscription, version);
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            assertEquals(Optional.of(Set.of("orders", "payments")), SubscribedTopics.read(array), "v" + version);
        }
    }

    @Test
    void bytesThatAreNotASubscriptionReadAsUnknown() {
        assertEquals(Optional.empty(), SubscribedTopics.read(new byte[] {0, 0, 0, 0, 0, 9, 0}));
        assertEquals(Optional.empty(), SubscribedTopics.read(new byte[] {1}));
        assertEquals(Optional.empty(), SubscribedTopics.read(null));
    }
}
