package io.weir.broker.network;

import static io.weir.broker.network.ListenerFixture.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tightest listener-wide bound ({@code queued.max.requests=1}, {@code queued.max.request.bytes=1}: every
 * request read stops all reading until it is handed over and answered) still serves a producer and a consumer
 * group at once, in order: held requests (long polls, joins) never stop the reads that release them.
 */
class ListenerQueueBoundTest {
    @TempDir
    Path dir;

    @Test
    void aProducerAndAConsumerGroupAreServedUnderTheTightestQueueBound() throws Exception {
        Properties extra = new Properties();
        extra.put(ListenerConfig.QUEUED_MAX_REQUESTS, "1");
        extra.put(ListenerConfig.QUEUED_MAX_REQUEST_BYTES, "1");
        try (ListenerFixture weir = new ListenerFixture(dir, extra)) {
            weir.createTopic("bounded", 2);
            Properties group = new Properties();
            group.put(ConsumerConfig.GROUP_ID_CONFIG, "bounded-group");
            try (KafkaConsumer<String, String> consumer = weir.consumer(group);
                    KafkaProducer<String, String> producer = weir.producer(new Properties())) {
                consumer.subscribe(List.of("bounded"));
                for (int i = 0; i < 200; i++) {
                    producer.send(new ProducerRecord<>("bounded", i % 2, "k", "v" + i));
                }
                producer.flush();
                List<ConsumerRecord<String, String>> got = pollUntil(consumer, 200, Duration.ofSeconds(60));
                assertEquals(200, got.size());
                for (int partition = 0; partition < 2; partition++) {
                    int p = partition;
                    List<String> values = got.stream()
                            .filter(r -> r.partition() == p)
                            .map(ConsumerRecord::value)
                            .toList();
                    for (int i = 0; i < values.size(); i++) {
                        assertEquals("v" + (p + 2 * i), values.get(i));
                    }
                }
            }
        }
    }
}
