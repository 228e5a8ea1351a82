package io.weir.broker.network;

import static io.weir.broker.network.ListenerFixture.pollUntil;
import static io.weir.broker.network.ListenerFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unmodified kafka-clients 4.1 producers and consumers against Weir's listener. */
class KafkaClientsProduceConsumeTest {
    @TempDir
    static Path dir;

    static ListenerFixture weir;

    @BeforeAll
    static void open() {
        weir = new ListenerFixture(dir);
    }

    @AfterAll
    static void close() {
        weir.close();
    }

    @ParameterizedTest(name = "acks={0} compression={1}")
    @CsvSource({"0,none", "1,none", "all,none", "1,gzip", "all,snappy", "all,lz4", "all,zstd", "0,zstd", "1,lz4"})
    void producedRecordsAreConsumedInOrderForEachAcksAndCompression(String acks, String compression) throws Exception {
        String topic = unique("t-" + acks + "-" + compression);
        weir.createTopic(topic, 1);
        Properties overrides = new Properties();
        overrides.put(ProducerConfig.ACKS_CONFIG, acks);
        overrides.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        overrides.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all") ? "true" : "false");
        int n = 200;
        try (KafkaProducer<String, String> producer = weir.producer(overrides)) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < n; i++) {
                RecordMetadata meta = sent.get(i).get();
                if (!acks.equals("0")) {
                    assertEquals(i, meta.offset(), "offset of record " + i);
                }
            }
        }
        try (KafkaConsumer<String, String> consumer = weir.consumer(new Properties())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> got = pollUntil(consumer, n, Duration.ofSeconds(20));
            assertEquals(n, got.size());
            for (int i = 0; i < n; i++) {
                assertEquals("v" + i, got.get(i).value());
                assertEquals(i, got.get(i).offset());
            }
            assertEquals(n, consumer.endOffsets(List.of(tp)).get(tp));
        }
    }

    @Test
    void autoCreatedTopicIsReportedByMetadataAndWritable() throws Exception {
        String topic = unique("auto");
        try (KafkaProducer<String, String> producer = weir.producer(new Properties())) {
            RecordMetadata meta =
                    producer.send(new ProducerRecord<>(topic, "k", "v")).get();
            assertEquals(0, meta.offset());
            assertEquals(1, producer.partitionsFor(topic).size());
        }
    }
}
