package io.weir.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kcat (librdkafka) producing and consuming against Weir's listener; skipped where kcat is not installed. */
class KcatCompatibilityTest {
    @TempDir
    Path dir;

    private static boolean kcatInstalled() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, "kcat"))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String stdin, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + out + err);
        }
        return out;
    }

    @Test
    void kcatProducesCompressedRecordsAndConsumesThemBack() throws Exception {
        assumeTrue(kcatInstalled(), "kcat is not installed (apt-get install kcat)");
        try (ListenerFixture weir = new ListenerFixture(dir)) {
            String topic = ListenerFixture.unique("kcat");
            weir.createTopic(topic, 1);
            StringBuilder input = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                input.append("k").append(i).append(":v").append(i).append('\n');
                expected.add("k" + i + "=v" + i + "@" + i);
            }
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                run(input.toString(), "kcat", "-b", weir.bootstrap, "-t", topic, "-K:", "-P", "-z", codec);
            }
            String out = run(
                    null,
                    "kcat",
                    "-b",
                    weir.bootstrap,
                    "-t",
                    topic,
                    "-C",
                    "-e",
                    "-q",
                    "-o",
                    "beginning",
                    "-f",
                    "%k=%s@%o\\n");
            List<String> lines = List.of(out.split("\n"));
            assertEquals(100, lines.size(), out);
            assertEquals(expected, lines.subList(0, 20));
            assertEquals("k0=v0@80", lines.get(80));
        }
    }
}
