package io.weir.examples;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.KeyValue;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The classic word count on {@link WeirStreams} with its embedded broker ({@code at_least_once}): writes a few lines
 * to {@code text}, counts their words into the store {@code counts}, and prints the counts read through interactive
 * queries. Run it with {@code mvn -B -q -DskipTests -Pexample verify -Dexample.main=io.weir.examples.WordCountExample};
 * an optional argument names the state directory (default: a fresh temporary one, removed at the end).
 */
public final class WordCountExample {
    static final List<String> LINES = List.of(
            "all streams flow to the sea",
            "the sea is not full",
            "a weir holds the stream and lets it pass",
            "the stream remembers every word");

    private WordCountExample() {}

    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("text", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(
                        line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        StateDirs.StateDir stateDir = StateDirs.StateDir.givenOr(args.length > 0 ? args[0] : null, "weir-word-count-");
        int status;
        try {
            status = run(stateDir.path(), System.out).isEmpty() ? 1 : 0;
        } finally {
            stateDir.release();
        }
        System.exit(status);
    }

    /** Counts the words of {@link #LINES}, prints them, and returns them (empty if they never all arrived). */
    static Map<String, Long> run(Path stateDir, PrintStream out) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()); // no bootstrap.servers: embedded broker
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        try (WeirStreams streams = new WeirStreams(topology(), props)) {
            Topics.createIfMissing(streams.bootstrapServers(), Map.of("text", 2, "word-counts", 2));
            streams.start();
            long words = 0;
            try (Producer<String, String> producer = Producer.create(
                    Map.of("bootstrap.servers", streams.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < LINES.size(); i++) {
                    producer.send(new ProducerRecord<>("text", "line-" + i, LINES.get(i)));
                    words += LINES.get(i).split("\\W+").length;
                }
            }
            ReadOnlyKeyValueStore<String, Long> counts =
                    streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
            Map<String, Long> read = awaitTotal(counts, words);
            if (read.isEmpty()) {
                out.printf("FAILED: the counts in the store did not add up to %d words within 30 s%n", words);
                return read;
            }
            out.printf(
                    "%d lines, %d words; the counts, read from the store \"counts\" (interactive query):%n",
                    LINES.size(), words);
            out.println("  "
                    + read.entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue()
                                    .reversed()
                                    .thenComparing(Map.Entry.comparingByKey()))
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" ")));
            return read;
        }
    }

    /** Reads the store until its counts add up to {@code words}, for at most 30 s; empty if they never do. */
    private static Map<String, Long> awaitTotal(ReadOnlyKeyValueStore<String, Long> counts, long words)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<String, Long> read = new TreeMap<>();
            try (KeyValueIterator<String, Long> all = counts.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> entry = all.next();
                    read.put(entry.key(), entry.value());
                }
            } catch (InvalidStateStoreException e) {
                // not queryable yet (the application is still rebalancing): read again
            }
            if (read.values().stream().mapToLong(Long::longValue).sum() == words) {
                return read;
            }
            Thread.sleep(20);
        }
        return Map.of();
    }
}
