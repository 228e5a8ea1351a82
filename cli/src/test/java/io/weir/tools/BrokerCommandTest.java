package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir broker start} in a child JVM, as a user runs it: the other verbs reach it over the network, and
 * SIGTERM stops it cleanly.
 */
class BrokerCommandTest {
    private static final Pattern BANNER = Pattern.compile("Weir broker listening on (\\S+) ");

    @TempDir
    Path dir;

    @Test
    void aStartedBrokerServesTheOtherVerbsAndStopsCleanlyOnSigterm() throws Exception {
        Process broker = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-opens",
                        "java.base/java.nio=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/sun.nio.ch=ALL-UNNAMED",
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WeirCommand.class.getName(),
                        "broker",
                        "start",
                        "--data-dir",
                        dir.toString(),
                        "--listener",
                        "PLAINTEXT://127.0.0.1:0"))
                .redirectError(dir.resolve("broker.err").toFile())
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String banner = out.readLine();
            Matcher m = BANNER.matcher(String.valueOf(banner));
            assertTrue(m.find(), () -> "banner: " + banner);
            String address = m.group(1);

            assertEquals(
                    0,
                    Cli.run("topics", "--create", "--topic", "t", "--bootstrap-server", address)
                            .code());
            assertEquals(
                    0,
                    Cli.withInput(
                                    "k:v\n",
                                    "console-producer",
                                    "--topic",
                                    "t",
                                    "--property",
                                    "parse.key=true",
                                    "--property",
                                    "key.separator=:",
                                    "--bootstrap-server",
                                    address)
                            .code());
            Cli.Result read = Cli.run(
                    "console-consumer",
                    "--topic",
                    "t",
                    "--from-beginning",
                    "--group",
                    "g",
                    "--max-messages",
                    "1",
                    "--property",
                    "print.key=true",
                    "--bootstrap-server",
                    address);
            assertEquals(List.of("k\tv"), read.lines(), read::toString);
            Cli.Result lag = Cli.run("consumer-groups", "--describe", "--group", "g", "--bootstrap-server", address);
            assertEquals(0, lag.code(), lag::toString);
            assertTrue(lag.lines().get(1).matches("g\\s+t\\s+0\\s+1\\s+1\\s+0.*"), lag::toString);
        } finally {
            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker did not stop on SIGTERM");
        }
        assertTrue(Files.readString(dir.resolve("broker.err")).contains("stopped cleanly"));
        try (EmbeddedBroker reopened = EmbeddedBroker.open(Map.of(BrokerConfig.LOG_DIRS, dir.toString()))) {
            assertTrue(reopened.openedAfterCleanShutdown(), "SIGTERM left no clean-shutdown marker");
        }
    }

    @Test
    void aListenerThatCannotBindFailsWithTheReason() {
        Cli.Result result =
                Cli.run("broker", "start", "--data-dir", dir.toString(), "--listener", "PLAINTEXT://nohost.invalid:0");
        assertEquals(1, result.code(), result::toString);
        assertTrue(result.err().startsWith("weir broker start: "), result::toString);
    }
}
