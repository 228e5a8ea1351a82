package io.weir.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own perf tools, unmodified, each run in a fresh child JVM as {@code kafka-producer-perf-test.sh} and
 * {@code kafka-consumer-perf-test.sh} run them ({@code org.apache.kafka.tools.ProducerPerformance} and {@code
 * ConsumerPerformance} from {@code kafka-tools}, on the Kafka jars Maven resolved after this jar, which supplies the
 * same kafka-clients 4.1.1 and nothing else they load, with
 * {@code kafka-run-class.sh}'s JVM settings and the scripts' 512 MB heap), and their summary lines parsed. The tools
 * do not know which broker answers: the same run against Weir's listener and against Kafka differs only in
 * {@code bootstrap.servers}.
 */
final class PerfTools {
    private static final long TOOL_DEADLINE_SECONDS = 300;

    /**
     * ProducerPerformance's summary: {@code N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
     * latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th.} Latency is from {@code send} to its
     * acknowledgement, time queued in the producer included.
     */
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec "
            + "\\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms "
            + "95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    /** How a ProducerPerformance run produces: acks=all always. */
    enum Mode {
        /** {@code enable.idempotence=true}. */
        IDEMPOTENT("idempotent"),
        /** Idempotent, and a transaction committed every 100 ms ({@code --transaction-duration-ms 100}). */
        TRANSACTIONAL("transactional");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    record ProducerRun(long records, double recordsPerSec, double mbPerSec, double avgMs, double p50Ms, double p99Ms) {}

    /**
     * ConsumerPerformance's summary: over the whole run (group join included) and over fetching alone, in MB
     * (2^20 bytes of values) and records.
     */
    record ConsumerRun(
            long records,
            double mbPerSec,
            double recordsPerSec,
            long rebalanceMs,
            double fetchMbPerSec,
            double fetchRecordsPerSec) {}

    private PerfTools() {}

    /** {@code records} records of {@code recordBytes} random bytes to {@code topic}, as fast as the broker takes them. */
    static ProducerRun produce(String bootstrap, String topic, int records, int recordBytes, Mode mode, Path workDir)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                topic,
                "--num-records",
                Integer.toString(records),
                "--record-size",
                Integer.toString(recordBytes),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "acks=all",
                "enable.idempotence=true"));
        if (mode == Mode.TRANSACTIONAL) {
            args.addAll(List.of("--transactional-id", "perf-" + topic, "--transaction-duration-ms", "100"));
        }
        String out = run("org.apache.kafka.tools.ProducerPerformance", args, workDir.resolve(topic + ".producer.out"));
        Matcher m = PRODUCER_SUMMARY.matcher(out);
        MatchResult last = null;
        while (m.find()) {
            last = m.toMatchResult(); // the periodic progress lines carry no percentiles; the summary comes last
        }
        if (last == null || Long.parseLong(last.group(1)) != records) {
            throw new IllegalStateException(
                    "ProducerPerformance did not send " + records + " records to " + topic + "; its output:\n" + out);
        }
        return new ProducerRun(
                Long.parseLong(last.group(1)),
                Double.parseDouble(last.group(2)),
                Double.parseDouble(last.group(3)),
                Double.parseDouble(last.group(4)),
                Double.parseDouble(last.group(6)),
                Double.parseDouble(last.group(8)));
    }

    /** Reads {@code records} records of {@code topic} from the start, {@code read_committed}, in a new group. */
    static ConsumerRun consume(String bootstrap, String topic, int records, Path workDir)
            throws IOException, InterruptedException {
        Path config = workDir.resolve("consumer-read-committed.properties");
        Files.writeString(config, "isolation.level=read_committed\n");
        String out = run(
                "org.apache.kafka.tools.ConsumerPerformance",
                List.of(
                        "--bootstrap-server",
                        bootstrap,
                        "--topic",
                        topic,
                        "--messages",
                        Integer.toString(records),
                        "--timeout",
                        "30000",
                        "--group",
                        "perf-" + topic,
                        "--consumer.config",
                        config.toString()),
                workDir.resolve(topic + ".consumer.out"));
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
        // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        String[] f = null;
        for (String line : out.split("\n")) {
            if (line.matches("^\\d{4}-\\d{2}-\\d{2} .*")) {
                f = line.split(",");
            }
        }
        if (f == null || f.length < 10 || Long.parseLong(f[4].trim()) < records) {
            throw new IllegalStateException(
                    "ConsumerPerformance did not read " + records + " records of " + topic + "; its output:\n" + out);
        }
        return new ConsumerRun(
                Long.parseLong(f[4].trim()),
                Double.parseDouble(f[3].trim()),
                Double.parseDouble(f[5].trim()),
                Long.parseLong(f[6].trim()),
                Double.parseDouble(f[8].trim()),
                Double.parseDouble(f[9].trim()));
    }

    private static String run(String main, List<String> args, Path output) throws IOException, InterruptedException {
        Process process = KafkaPeer.launch(
                List.of(
                        "-Xmx512m",
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=20",
                        "-XX:InitiatingHeapOccupancyPercent=35",
                        "-XX:+ExplicitGCInvokesConcurrent",
                        "-Djava.awt.headless=true"),
                main,
                args,
                output,
                KafkaPeer.classPath());
        process.getOutputStream().close();
        if (!process.waitFor(TOOL_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            KafkaPeer.kill(process);
            throw new IllegalStateException(main + " " + args + " did not finish within " + TOOL_DEADLINE_SECONDS
                    + " s; its output:\n" + Files.readString(output));
        }
        String out = Files.readString(output);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    main + " " + args + " exited with " + process.exitValue() + "; its output:\n" + out);
        }
        return out;
    }
}
