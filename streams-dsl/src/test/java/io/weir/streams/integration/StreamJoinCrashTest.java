package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream-stream left join across process deaths: {@link CrashingJoinApp} is halted in a child JVM at each point of
 * the commit sequence while orders wait in its outer-join store, and restarted on the same state directory (stores
 * and embedded broker); the last run must find every join result, and every order's non-joined result, exactly once
 * in the read_committed output.
 */
class StreamJoinCrashTest {

    @Test
    void aLeftJoinHaltedMidWindowEmitsEachResultExactlyOnceAfterRestarts(@TempDir Path dir) throws Exception {
        for (String point : List.of("before-broker-commit:4", "after-broker-commit:6", "after-store-commit:5")) {
            ExactlyOnceCrashTest.Run run = ExactlyOnceCrashTest.run(CrashingJoinApp.class, dir, point);
            assertEquals(137, run.exitCode(), point + ": " + run.lines());
        }
        ExactlyOnceCrashTest.Run last = ExactlyOnceCrashTest.run(CrashingJoinApp.class, dir, null);
        assertEquals(0, last.exitCode(), String.join("\n", last.lines()));
        assertTrue(last.says("RESULT OK"), String.join("\n", last.lines()));
    }
}
