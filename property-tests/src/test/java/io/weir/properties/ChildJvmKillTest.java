package io.weir.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.internals.log.LogFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real-process variant of {@link StreamsProperties} (issue 16): {@link KilledApp} runs in a child JVM with its
 * own embedded broker and is killed with SIGKILL ({@link Process#destroyForcibly}) after a seeded number of its
 * commits — a moment taken from the child's own progress lines, not from a clock — then restarted on the same
 * directory, until it has processed its whole input; a last run checks the read_committed outputs and the store
 * against the reference. Every restart must replay no more changelog records than were written after the last store
 * commit the parent saw. By default one round of 3 kills; {@code mvn verify -Dsoak} runs rounds until 100 kills.
 */
class ChildJvmKillTest {
    private static final Pattern COMMITTED = Pattern.compile("^COMMITTED (\\d+) CHANGELOG (\\d+)");
    private static final Pattern RESTORED = Pattern.compile("^RESTORED (\\d+) CHANGELOG (\\d+)");

    @Test
    void killedAtSeededCommitsTheApplicationLosesAndRepeatsNothing() throws Exception {
        killRounds(3, 16003L);
    }

    @Test
    @Tag("soak")
    void soakHundredKills() throws Exception {
        killRounds(100, System.nanoTime());
    }

    private static void killRounds(int kills, long seed) throws Exception {
        System.out.println("ChildJvmKillTest: seed " + seed);
        Random random = new Random(seed);
        long started = System.nanoTime();
        int done = 0;
        int rounds = 0;
        while (done < kills) {
            Path dir = Files.createTempDirectory("weir-killed-");
            try {
                done += round(dir, kills - done, random, seed);
                rounds++;
            } finally {
                LogFiles.deleteRecursively(dir);
            }
        }
        System.out.printf(
                "ChildJvmKillTest: %d SIGKILLs in %d rounds, %.1f s%n",
                done, rounds, (System.nanoTime() - started) / 1e9);
    }

    /** Kills the child on {@code dir} up to {@code kills} times, then verifies; returns the kills made. */
    private static int round(Path dir, int kills, Random random, long seed) throws Exception {
        long lastStoreCommit = 0;
        int made = 0;
        while (made < kills) {
            int killAt = 1 + random.nextInt(8);
            Process child = start(dir, false);
            List<String> lines = new ArrayList<>();
            boolean finished = false;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    Matcher restored = RESTORED.matcher(line);
                    if (restored.find()) {
                        long replayed = Long.parseLong(restored.group(1));
                        long bound = Long.parseLong(restored.group(2)) - lastStoreCommit;
                        assertTrue(
                                replayed <= bound,
                                "seed " + seed + ": a restart after a kill replayed " + replayed
                                        + " changelog records; only " + bound
                                        + " were written after the last store commit: " + lines);
                    }
                    Matcher committed = COMMITTED.matcher(line);
                    if (committed.find()) {
                        lastStoreCommit = Long.parseLong(committed.group(2));
                        if (Integer.parseInt(committed.group(1)) >= killAt) {
                            break;
                        }
                    }
                    if (line.equals("DONE")) {
                        finished = true;
                        break;
                    }
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
            }
            if (finished) {
                break; // the whole input is processed: no commit left to kill in
            }
            made++;
            Faults.count(Faults.Kind.SIGKILL);
        }
        Process last = start(dir, true);
        List<String> lines = readAll(last);
        assertTrue(last.waitFor(180, TimeUnit.SECONDS), "the last run did not finish: " + lines);
        assertTrue(lines.contains("RESULT OK"), "seed " + seed + ", after " + made + " kills: " + lines);
        return made;
    }

    private static Process start(Path dir, boolean verify) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // a short-lived child: start fast rather than peak
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KilledApp.class.getName());
        command.add(dir.toString());
        if (verify) {
            command.add("verify");
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
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
}
