package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.weir.broker.LogConfig;
import io.weir.common.IsolationLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compacted log whose cleaned segments have gaps between batches, after its {@code cleanup.policy} went from
 * {@code compact} to {@code delete}: the gaps are the cleaner's, not damage, so reads serve the log as it is and a
 * recovery that checks every segment keeps them.
 */
class CleanedSegmentsAfterPolicyChangeTest extends CleanerTestBase {

    @Test
    void gapsTheCleanerLeftAreNotDamageOnceTheLogNoLongerCompacts() {
        open(true);
        for (int i = 0; i < 40; i++) {
            append(keyed(time.milliseconds(), "k" + (i % 3), "v" + i));
        }
        log.roll();
        append(keyed(time.milliseconds(), "k0", "last"));
        cleaner.cleanUntilClean();
        List<String> cleaned = contents(IsolationLevel.READ_UNCOMMITTED);
        assertNotEquals(41, cleaned.size(), "the cleaner removed records, leaving gaps: " + cleaned);

        overrides.put("cleanup.policy", "delete");
        log.updateConfig(LogConfig.withOverrides(LogConfig.DEFAULTS, overrides));
        assertEquals(cleaned, contents(IsolationLevel.READ_UNCOMMITTED), "read after the policy change");

        cleaner.close();
        log.closeWithoutFlush();
        open(false, 0L); // a crash without a checkpoint: every segment is checked
        assertEquals(41, log.logEndOffset());
        assertEquals(cleaned, contents(IsolationLevel.READ_UNCOMMITTED), "read after recovery");
    }
}
