package io.weir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordCountExampleTest {

    @Test
    void countsEveryWordOfItsLinesThroughInteractiveQueries(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Long> counts;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            counts = WordCountExample.run(dir, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(4L, counts.get("the"), output);
        assertEquals(2L, counts.get("sea"), output);
        assertEquals(25L, counts.values().stream().mapToLong(Long::longValue).sum(), output);
    }
}
