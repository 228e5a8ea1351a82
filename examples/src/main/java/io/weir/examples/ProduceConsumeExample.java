package io.weir.examples;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Weir's flagship example, for now: an embedded broker on a fresh data directory, a topic with four
 * partitions, one million keyed records produced with {@code acks=all}, and every one of them consumed back,
 * checked for count and per-partition order. Prints the counts and the rates.
 *
 * <p>Arguments (optional): {@code [records] [partitions]}.
 */
public final class ProduceConsumeExample {
    private ProduceConsumeExample() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String topic = "example-events";

        Properties brokerProps = new Properties(); // no log.dirs: a fresh temporary directory
        try (EmbeddedBroker broker = EmbeddedBroker.open(brokerProps)) {
            System.out.printf("Embedded broker on %s%n", broker.dataDir());

            Properties adminProps = new Properties();
            adminProps.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(adminProps)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions)))
                        .all()
                        .get();
            }

            Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", broker.bootstrapServers());
            producerProps.put("acks", "all");
            producerProps.put("linger.ms", "5");
            producerProps.put("batch.size", "65536");
            long produceStart = System.nanoTime();
            try (Producer<String, String> producer =
                    Producer.create(producerProps, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + (i % 10_000), "value-" + i));
                }
                producer.flush();
            }
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            System.out.printf(
                    "Produced %,d records (acks=all) in %.2f s: %,.0f records/s%n",
                    records, produceSeconds, records / produceSeconds);

            Properties consumerProps = new Properties();
            consumerProps.put("bootstrap.servers", broker.bootstrapServers());
            consumerProps.put("max.poll.records", "10000");
            long consumeStart = System.nanoTime();
            long consumed = 0;
            long outOfOrder = 0;
            try (Consumer<String, String> consumer =
                    Consumer.create(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> all = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    all.add(new TopicPartition(topic, p));
                }
                consumer.assign(all);
                consumer.seekToBeginning(all);
                long[] lastOffset = new long[partitions];
                java.util.Arrays.fill(lastOffset, -1L);
                while (consumed < records) {
                    ConsumerRecords<String, String> batch = consumer.poll(Duration.ofSeconds(5));
                    if (batch.isEmpty()) {
                        throw new IllegalStateException("No records for 5 s after " + consumed + " of " + records);
                    }
                    for (ConsumerRecord<String, String> record : batch) {
                        if (record.offset() != lastOffset[record.partition()] + 1) {
                            outOfOrder++;
                        }
                        lastOffset[record.partition()] = record.offset();
                        consumed++;
                    }
                }
            }
            double consumeSeconds = (System.nanoTime() - consumeStart) / 1e9;
            System.out.printf(
                    "Consumed %,d records in %.2f s: %,.0f records/s%n",
                    consumed, consumeSeconds, consumed / consumeSeconds);
            if (consumed != records || outOfOrder != 0) {
                System.out.printf(
                        "MISMATCH: produced %d, consumed %d, %d out of order%n", records, consumed, outOfOrder);
                System.exit(1);
            }
            System.out.println("OK: every record consumed once, in order within each partition.");
        }
    }
}
