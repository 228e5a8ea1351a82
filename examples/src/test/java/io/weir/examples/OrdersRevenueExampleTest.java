package io.weir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.examples.OrdersRevenueExample.Kill;
import io.weir.examples.OrdersRevenueExample.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flagship example end to end, with child JVMs, on a small stream. */
class OrdersRevenueExampleTest {
    private static final Pattern RESTART =
            Pattern.compile("Restart: .* ([\\d,]+) of ([\\d,]+) changelog records replayed");

    private static String run(Options options, int expectedStatus) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = OrdersRevenueExample.run(options, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, output);
        return output;
    }

    @Test
    void haltedBetweenBrokerAndStoreCommitRecoversWithoutFullRestoreAndAgreesThreeWays(@TempDir Path dir)
            throws Exception {
        String output = run(new Options(5_000, dir, Kill.CRASH_POINT, OrdersRevenueExample.CRASH_AT_COMMIT, -1), 0);
        assertTrue(output.contains("run 1: halted (exit 137)"), output);
        assertTrue(output.contains("[run 2] OK: the three agree for every customer"), output);
        Matcher restart = RESTART.matcher(output);
        assertTrue(restart.find(), output);
        long replayed = Long.parseLong(restart.group(1).replace(",", ""));
        long changelog = Long.parseLong(restart.group(2).replace(",", ""));
        assertTrue(changelog > 0 && replayed < changelog, "replayed " + replayed + " of " + changelog + "\n" + output);
    }

    @Test
    void killedMidStreamResumesTheFeedAndAgreesThreeWays(@TempDir Path dir) throws Exception {
        String output = run(new Options(5_000, dir, Kill.SIGKILL, 1, -1), 0);
        assertTrue(output.contains("run 1: killed (exit 137)"), output);
        assertTrue(output.contains("[run 2] OK: the three agree for every customer"), output);
    }
}
