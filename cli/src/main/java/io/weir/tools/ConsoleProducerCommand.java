package io.weir.tools;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.serialization.StringSerializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir console-producer}: Kafka's {@code kafka-console-producer.sh}. Each line of standard input is one
 * record, its key split off at {@code key.separator} when {@code parse.key=true}. With {@code --transactional-id}
 * the whole input is one transaction, committed at the end of input (aborted if any send fails), so a reader at
 * {@code read_committed} sees all of it or none.
 */
@Command(
        name = "console-producer",
        mixinStandardHelpOptions = true,
        description = "Send the lines of standard input to a topic (kafka-console-producer.sh).")
final class ConsoleProducerCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to send to.")
    String topic;

    @Option(
            names = "--property",
            paramLabel = "KEY=VALUE",
            description = "How lines are read: parse.key=true, key.separator=<text> (default a tab), "
                    + "null.marker=<text> (a key or value equal to it is sent as null).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--acks", paramLabel = "ACKS", description = "all, -1, 1 or 0 (default: the producer's, all).")
    String acks;

    @Option(names = "--transactional-id", paramLabel = "ID", description = "Send all input as one transaction.")
    String transactionalId;

    @Option(names = "--compression-codec", paramLabel = "CODEC", description = "none, gzip, snappy, lz4 or zstd.")
    String compression;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description = "A producer setting (repeatable), e.g. linger.ms=5.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    ConsoleProducerCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        LineFormat format = LineFormat.of(properties);
        try (Connection conn = Connection.open(connection)) {
            Topics.requireExists(conn, topic);
            Map<String, Object> config = conn.clientConfig();
            config.putAll(producerProperties);
            if (acks != null) {
                config.put(ProducerConfig.ACKS, acks);
            }
            if (compression != null) {
                config.put(ProducerConfig.COMPRESSION_TYPE, compression);
            }
            if (transactionalId != null) {
                config.put(ProducerConfig.TRANSACTIONAL_ID, transactionalId);
            }
            try (Producer<String, String> producer =
                    Producer.create(config, new StringSerializer(), new StringSerializer())) {
                return send(producer, format);
            }
        }
    }

    private int send(Producer<String, String> producer, LineFormat format) throws Exception {
        if (transactionalId != null) {
            producer.initTransactions();
            producer.beginTransaction();
        }
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        long lineNumber = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                String[] keyValue = format.split(line, lineNumber);
                pending.add(producer.send(new ProducerRecord<>(topic, keyValue[0], keyValue[1])));
                if (pending.size() >= 10_000) {
                    awaitAll(producer, pending);
                }
            }
        }
        producer.flush();
        awaitAll(producer, pending);
        if (transactionalId != null) {
            producer.commitTransaction();
        }
        return 0;
    }

    private void awaitAll(Producer<String, String> producer, List<Future<RecordMetadata>> pending)
            throws InterruptedException {
        try {
            for (Future<RecordMetadata> future : pending) {
                future.get();
            }
        } catch (ExecutionException e) {
            if (transactionalId != null) {
                producer.abortTransaction();
                throw new CommandFailedException(
                        "A send failed, the transaction was aborted: " + WeirCommand.describe(e));
            }
            throw new CommandFailedException("A send failed: " + WeirCommand.describe(e));
        }
        pending.clear();
    }

    /** How a line becomes a key and a value. */
    record LineFormat(boolean parseKey, String keySeparator, String nullMarker) {
        static LineFormat of(Map<String, String> properties) {
            for (String key : properties.keySet()) {
                if (!List.of("parse.key", "key.separator", "null.marker").contains(key)) {
                    throw new CommandFailedException(
                            "Unknown --property " + key + " (known: parse.key, key.separator, null.marker)");
                }
            }
            return new LineFormat(
                    Boolean.parseBoolean(properties.getOrDefault("parse.key", "false")),
                    properties.getOrDefault("key.separator", "\t"),
                    properties.get("null.marker"));
        }

        String[] split(String line, long lineNumber) {
            if (!parseKey) {
                return new String[] {null, orNull(line)};
            }
            int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new CommandFailedException("Line " + lineNumber + " has no key separator '" + keySeparator
                        + "' (parse.key=true): " + line);
            }
            return new String[] {orNull(line.substring(0, at)), orNull(line.substring(at + keySeparator.length()))};
        }

        private String orNull(String text) {
            return text.equals(nullMarker) ? null : text;
        }
    }
}
