package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across real process deaths: {@link CrashingApp} runs in a child JVM on one state directory (its
 * stores and its embedded broker), is halted at each named point of the commit sequence (Runtime.halt: files as a
 * kill -9 leaves them) and killed with SIGKILL at a seeded moment, and restarted each time; the last run must find
 * the read_committed outputs and the store equal to the exactly-once result, and every restart must replay less than
 * the whole changelog.
 */
class ExactlyOnceCrashTest {
    private static final Pattern RESTORED = Pattern.compile("RESTORED (\\d+) OF (\\d+)");
    private static final long SEED = 20261207L;

    record Run(int exitCode, List<String> lines) {
        long replayed() {
            return restored(1);
        }

        long changelog() {
            return restored(2);
        }

        private long restored(int group) {
            for (String line : lines) {
                Matcher m = RESTORED.matcher(line);
                if (m.find()) {
                    return Long.parseLong(m.group(group));
                }
            }
            return -1;
        }

        boolean says(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    private static Process start(Path dir, String crashAt) throws IOException {
        return start(CrashingApp.class, dir, crashAt);
    }

    /** Starts {@code app}'s {@code main} in a child JVM on {@code dir}, halting at {@code crashAt} if not null. */
    static Process start(Class<?> app, Path dir, String crashAt) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (crashAt != null) {
            command.add("-Dweir.streams.crash.at=" + crashAt);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(app.getName());
        command.add(dir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Run run(Path dir, String crashAt) throws Exception {
        return run(CrashingApp.class, dir, crashAt);
    }

    /** Runs {@code app} in a child JVM to its end (or its halt) and collects what it printed. */
    static Run run(Class<?> app, Path dir, String crashAt) throws Exception {
        Process child = start(app, dir, crashAt);
        List<String> lines = readAll(child);
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child did not finish: " + lines);
        return new Run(child.exitValue(), lines);
    }

    private static final Pattern COPIES = Pattern.compile("COPIES (\\d+) OF (\\d+)");

    /**
     * Kills the child with SIGKILL once it has read back, committed, {@code fraction} of the input it has not
     * processed yet: a seeded moment of processing, taken from the child's own progress lines rather than a clock.
     */
    private static Run runAndKill(Path dir, double fraction) throws Exception {
        Process child = start(dir, null);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long killAt = -1;
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher m = COPIES.matcher(line);
                if (!m.find()) {
                    continue;
                }
                long read = Long.parseLong(m.group(1));
                long inputs = Long.parseLong(m.group(2));
                if (killAt < 0) {
                    killAt = Math.min(inputs, read + Math.max(1, (long) ((inputs - read) * fraction)));
                }
                if (read >= killAt) {
                    break;
                }
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        return new Run(child.exitValue(), lines);
    }

    private static List<String> readAll(Process child) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void haltsInEveryCommitWindowAndAKillLoseNothingAndDuplicateNothing(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        List<Run> crashed = new ArrayList<>();
        for (String point : List.of("before-broker-commit", "after-broker-commit", "after-store-commit")) {
            Run run = run(dir, point + ":" + (3 + random.nextInt(5)));
            assertEquals(137, run.exitCode(), point + ": " + run.lines());
            crashed.add(run);
        }
        // The run after the halt between the broker commit and the store commit finds its stores one commit behind
        // their changelogs: it replays that commit's records, and only those.
        Run afterWindow = crashed.get(2);
        assertTrue(
                afterWindow.replayed() > 0 && afterWindow.replayed() < afterWindow.changelog(),
                "replayed " + afterWindow.replayed() + " of " + afterWindow.changelog());
        Run killed = runAndKill(dir, 0.1 + 0.6 * random.nextDouble());
        assertTrue(killed.exitCode() != 0, "the kill should have ended the run: " + killed.lines());
        crashed.add(killed);

        Run last = run(dir, null);
        for (Run run : crashed) {
            System.out.println(
                    "crash run: exit " + run.exitCode() + ", replayed " + run.replayed() + " of " + run.changelog());
        }
        System.out.println("last run: replayed " + last.replayed() + " of " + last.changelog());
        assertEquals(0, last.exitCode(), String.join("\n", last.lines()));
        assertTrue(last.says("RESULT OK"), String.join("\n", last.lines()));
        for (Run run : List.of(crashed.get(1), crashed.get(2), crashed.get(3), last)) {
            if (run.changelog() > 0) {
                assertTrue(
                        run.replayed() < run.changelog(),
                        "a restart replayed " + run.replayed() + " of " + run.changelog() + " changelog records");
            }
        }
    }
}
