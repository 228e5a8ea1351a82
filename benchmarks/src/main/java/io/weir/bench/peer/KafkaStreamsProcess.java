package io.weir.bench.peer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The child JVM running Kafka Streams 4.1 for a peer benchmark ({@link KafkaPeer#startStreams}): it stays up for the
 * whole benchmark, so its runs are as warm as Weir's in the benchmark's JVM, and runs one application at a time on
 * command, one command a line on standard input:
 *
 * <pre>
 * prepare &lt;guarantee&gt; &lt;commit.interval.ms&gt; &lt;application.id&gt; &lt;output topic&gt; &lt;workload...&gt;
 *     builds the workload's topology ({@link PeerWorkload}) and a KafkaStreams on it  -> READY
 * start      calls start()  -> RUNNING &lt;s&gt;, then PROCESSED &lt;s&gt; once every input record went through the topology
 * close      closes the application and deletes its local state  -> CLOSED
 * </pre>
 *
 * Times are seconds since {@code start()}. The Kafka side of the workloads lives here, in Kafka's API, as the Weir
 * side lives in {@code io.weir.bench.streams.PeerTopologies}. Arguments: bootstrap servers, state directory. It exits
 * when its standard input ends.
 */
public final class KafkaStreamsProcess {
    private KafkaStreamsProcess() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String stateDir = args[1];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        KafkaStreams streams = null;
        AtomicLong processed = new AtomicLong();
        long inputRecords = 0;
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            try {
                switch (cmd[0]) {
                    case "prepare" -> {
                        PeerWorkload workload = PeerWorkload.parse(cmd, 5);
                        processed.set(0);
                        inputRecords = workload.inputRecords();
                        streams = new KafkaStreams(
                                topology(workload, cmd[4], processed),
                                props(bootstrap, stateDir, cmd[1], cmd[2], cmd[3]));
                        say("READY");
                    }
                    case "start" -> start(streams, processed, inputRecords);
                    case "close" -> {
                        streams.close(Duration.ofSeconds(60));
                        streams.cleanUp();
                        streams = null;
                        say("CLOSED");
                    }
                    default -> say("ERROR unknown command " + line);
                }
            } catch (Exception e) {
                say("ERROR " + cmd[0] + ": " + e);
            }
        }
        Runtime.getRuntime().halt(0);
    }

    private static void start(KafkaStreams streams, AtomicLong processed, long inputRecords) {
        long t0 = System.nanoTime();
        streams.start();
        Thread watch = new Thread(
                () -> {
                    long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
                    boolean running = false;
                    while (System.nanoTime() < deadline) {
                        if (!running && streams.state() == KafkaStreams.State.RUNNING) {
                            running = true;
                            say(String.format(Locale.ROOT, "RUNNING %.3f", (System.nanoTime() - t0) / 1e9));
                        }
                        if (processed.get() >= inputRecords) {
                            say(String.format(Locale.ROOT, "PROCESSED %.3f", (System.nanoTime() - t0) / 1e9));
                            return;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                },
                "progress");
        watch.setDaemon(true);
        watch.start();
    }

    static Properties props(String bootstrap, String stateDir, String guarantee, String commitMs, String appId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        return p;
    }

    /** The workload's topology in Kafka's API; {@code processed} counts the records that entered it. */
    static Topology topology(PeerWorkload workload, String output, AtomicLong processed) {
        StreamsBuilder b = new StreamsBuilder();
        Consumed<String, String> consumed = Consumed.with(Serdes.String(), Serdes.String());
        switch (workload.kind()) {
            case WINDOWED_COUNT -> b.stream(workload.kind().inputs().get(0), consumed)
                    .peek((k, v) -> processed.incrementAndGet())
                    .groupByKey()
                    .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(PeerWorkload.WINDOW_MS)))
                    .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("counts"))
                    .toStream()
                    .map((windowed, count) -> KeyValue.pair(
                            windowed.key() + "@" + windowed.window().start(), count))
                    .to(output, Produced.with(Serdes.String(), Serdes.Long()));
            case JOIN -> {
                KStream<String, String> left =
                        b.stream(workload.kind().inputs().get(0), consumed).peek((k, v) -> processed.incrementAndGet());
                KStream<String, String> right =
                        b.stream(workload.kind().inputs().get(1), consumed).peek((k, v) -> processed.incrementAndGet());
                left.join(
                                right,
                                (l, r) -> 1L,
                                JoinWindows.ofTimeDifferenceAndGrace(
                                        Duration.ofMillis(workload.joinMs()),
                                        Duration.ofMillis(workload.joinGraceMs())),
                                StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
            }
        }
        return b.build();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
