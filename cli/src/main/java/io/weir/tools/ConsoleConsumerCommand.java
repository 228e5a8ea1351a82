package io.weir.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.WakeupException;
import io.weir.common.record.Header;
import io.weir.common.serialization.StringDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir console-consumer}: Kafka's {@code kafka-console-consumer.sh}. Without {@code --group} it reads every
 * partition of the topic (or the one of {@code --partition}) and commits nothing; with {@code --group} it joins
 * that consumer group and commits, after each batch it printed, the offsets of exactly the records it printed.
 * It stops after {@code --max-messages}, after {@code --timeout-ms} without a record, or on Ctrl-C, and reports
 * on standard error how many it processed, as Kafka's does.
 */
@Command(
        name = "console-consumer",
        mixinStandardHelpOptions = true,
        description = "Print the records of a topic (kafka-console-consumer.sh).")
final class ConsoleConsumerCommand implements Callable<Integer> {
    private static final ObjectMapper JSON_LINES = new ObjectMapper();
    private static final List<String> FORMAT_PROPERTIES = List.of(
            "print.key",
            "print.value",
            "print.offset",
            "print.partition",
            "print.timestamp",
            "print.headers",
            "key.separator",
            "null.literal");

    private final Io io;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest record when there is no committed offset.")
    boolean fromBeginning;

    @Option(names = "--group", paramLabel = "GROUP", description = "Read as a member of this consumer group.")
    String group;

    @Option(names = "--partition", paramLabel = "N", description = "Read only this partition (not with --group).")
    Integer partition;

    @Option(
            names = "--offset",
            paramLabel = "OFFSET",
            description = "With --partition: earliest, latest or an offset to start at.")
    String offset;

    @Option(
            names = "--isolation-level",
            paramLabel = "LEVEL",
            description = "read_uncommitted (default) or read_committed.")
    String isolationLevel;

    @Option(names = "--max-messages", paramLabel = "N", description = "Stop after printing N records.")
    Long maxMessages;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            description = "Stop when no record arrived for this long (default: wait for ever).")
    Long idleTimeoutMs;

    @Option(
            names = "--property",
            paramLabel = "KEY=VALUE",
            description = "What to print: print.key, print.offset, print.partition, print.timestamp, print.headers, "
                    + "print.value (true/false), key.separator (default a tab), null.literal (default null).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description = "A consumer setting (repeatable), e.g. max.poll.records=100.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    ConsoleConsumerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        for (String key : properties.keySet()) {
            if (!FORMAT_PROPERTIES.contains(key)) {
                throw new CommandFailedException("Unknown --property " + key + " (known: " + FORMAT_PROPERTIES + ")");
            }
        }
        if (group != null && (partition != null || offset != null)) {
            throw new CommandFailedException("--partition and --offset read without a group: leave out --group");
        }
        if (offset != null && partition == null) {
            throw new CommandFailedException("--offset needs --partition");
        }
        try (Connection conn = Connection.open(connection)) {
            Topics.requireExists(conn, topic);
            Map<String, Object> config = conn.clientConfig();
            config.putAll(consumerProperties);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT, "false");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET, fromBeginning ? "earliest" : "latest");
            if (isolationLevel != null) {
                config.put(ConsumerConfig.ISOLATION_LEVEL, isolationLevel);
            }
            if (group != null) {
                config.put(ConsumerConfig.GROUP_ID, group);
            }
            try (Consumer<String, String> consumer =
                    Consumer.create(config, new StringDeserializer(), new StringDeserializer())) {
                start(consumer);
                return consume(consumer);
            }
        }
    }

    private void start(Consumer<String, String> consumer) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            if (partition == null || partition == info.partition()) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        if (partitions.isEmpty()) {
            throw new CommandFailedException("Topic " + topic + " has no partition " + partition);
        }
        consumer.assign(partitions);
        if (offset == null) {
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
        } else if (offset.equals("earliest")) {
            consumer.seekToBeginning(partitions);
        } else if (offset.equals("latest")) {
            consumer.seekToEnd(partitions);
        } else {
            try {
                consumer.seek(partitions.get(0), Long.parseLong(offset));
            } catch (NumberFormatException e) {
                throw new CommandFailedException("--offset " + offset + " is not earliest, latest or a number");
            }
        }
    }

    private int consume(Consumer<String, String> consumer) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    consumer.wakeup();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "weir-console-consumer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long printed = 0;
        try {
            long lastRecord = System.nanoTime();
            while (maxMessages == null || printed < maxMessages) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    if (idleTimeoutMs != null && System.nanoTime() - lastRecord > idleTimeoutMs * 1_000_000L) {
                        break;
                    }
                    continue;
                }
                lastRecord = System.nanoTime();
                Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    if (maxMessages != null && printed >= maxMessages) {
                        break;
                    }
                    print(record);
                    printed++;
                    consumed.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                io.out().flush();
                if (group != null) {
                    consumer.commitSync(consumed);
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: stop reading, report and close as after the last record.
        } finally {
            io.err().println("Processed a total of " + printed + " messages");
            io.err().flush();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it waits on done, which is now counted down.
            }
        }
        return 0;
    }

    private void print(ConsumerRecord<String, String> record) {
        if (output.json()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("topic", record.topic());
            line.put("partition", record.partition());
            line.put("offset", record.offset());
            line.put("timestamp", record.timestamp());
            line.put("timestampType", record.timestampType().name());
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null : utf8(header.value()));
            }
            line.put("headers", headers);
            line.put("key", record.key());
            line.put("value", record.value());
            try {
                io.out().println(JSON_LINES.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a record as JSON", e);
            }
            return;
        }
        String separator = properties.getOrDefault("key.separator", "\t");
        String nullLiteral = properties.getOrDefault("null.literal", "null");
        StringBuilder text = new StringBuilder();
        if (flag("print.timestamp", false)) {
            String type =
                    record.timestampType() == ConsumerRecord.TimestampType.CREATE_TIME ? "CreateTime" : "LogAppendTime";
            text.append(type).append(':').append(record.timestamp()).append(separator);
        }
        if (flag("print.partition", false)) {
            text.append("Partition:").append(record.partition()).append(separator);
        }
        if (flag("print.offset", false)) {
            text.append("Offset:").append(record.offset()).append(separator);
        }
        if (flag("print.headers", false)) {
            if (record.headers().isEmpty()) {
                text.append("NO_HEADERS");
            } else {
                StringBuilder headers = new StringBuilder();
                for (Header header : record.headers()) {
                    headers.append(headers.length() == 0 ? "" : ",")
                            .append(header.key())
                            .append(':')
                            .append(header.value() == null ? nullLiteral : utf8(header.value()));
                }
                text.append(headers);
            }
            text.append(separator);
        }
        if (flag("print.key", false)) {
            text.append(record.key() == null ? nullLiteral : record.key()).append(separator);
        }
        if (flag("print.value", true)) {
            text.append(record.value() == null ? nullLiteral : record.value());
        } else if (text.length() >= separator.length()) {
            text.setLength(text.length() - separator.length());
        }
        io.out().println(text);
    }

    private boolean flag(String name, boolean defaultValue) {
        String value = properties.get(name);
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
