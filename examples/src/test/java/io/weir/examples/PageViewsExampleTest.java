package io.weir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageViewsExampleTest {
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    @Test
    void queriesOneUsersWindowsAndEveryWindowAsCountedFromTheViews(@TempDir Path dir) throws Exception {
        long base = PageViewsExample.recentBase();
        // The expectation, counted here from the same seeded views: per user@window start, and the followed user's.
        Map<String, Long> expectedAll = new TreeMap<>();
        Map<Long, Long> expectedFollowed = new TreeMap<>();
        Map<Long, Long> expectedPerWindow = new TreeMap<>();
        for (PageViewsExample.PageView view : PageViewsExample.views(base)) {
            long start = view.timestamp() - Math.floorMod(view.timestamp(), 60_000L);
            expectedAll.merge(view.user() + "@" + start, 1L, Long::sum);
            expectedPerWindow.merge(start, 1L, Long::sum);
            if (view.user().equals(PageViewsExample.FOLLOWED_USER)) {
                expectedFollowed.merge(start, 1L, Long::sum);
            }
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PageViewsExample.Queried queried;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            queried = PageViewsExample.run(dir, base, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertNotNull(queried, output);
        assertEquals(expectedFollowed, new TreeMap<>(queried.followedUser()), output);
        assertEquals(expectedAll, new TreeMap<>(queried.all()), output);
        assertEquals(PageViewsExample.MINUTES, expectedPerWindow.size());
        expectedFollowed.forEach((start, views) -> assertTrue(
                output.contains(String.format(
                        "  %s-%s  %3d views%n",
                        CLOCK.format(Instant.ofEpochMilli(start)),
                        CLOCK.format(Instant.ofEpochMilli(start + 60_000)),
                        views)),
                "the followed user's window at " + start + " printed with " + views + " views:\n" + output));
        expectedPerWindow.forEach((start, views) -> assertTrue(
                output.contains(String.format("  %s  %3d views by", CLOCK.format(Instant.ofEpochMilli(start)), views)),
                "the window at " + start + " printed with " + views + " views in all:\n" + output));
    }
}
