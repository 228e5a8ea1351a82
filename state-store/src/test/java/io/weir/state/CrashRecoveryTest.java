package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kills a real writer process and checks that the store reopens at the last committed data and checkpoint. */
class CrashRecoveryTest {
    private final Path root = TestDirs.create("weir-crash");
    private final Path dir = root.resolve("store");

    @AfterEach
    void cleanUp() {
        TestDirs.delete(root);
    }

    private KeyValueStore<String, String> reopen() {
        return KeyValueStores.builder("crashing", Serdes.string(), Serdes.string())
                .lmdb(dir)
                .build();
    }

    @Test
    void crashBeforeCommitReturnsToLastCommittedDataAndCheckpoint() throws Exception {
        ChildJvm child = new ChildJvm(CrashingWriter.class, dir.toString(), "writes");
        child.awaitLine("crashing");
        assertEquals(3, child.awaitExit());

        try (KeyValueStore<String, String> store = reopen()) {
            assertEquals(OptionalLong.of(100), store.committedOffset());
            assertEquals(100, store.approximateNumEntries());
            for (int i = 0; i < 100; i++) {
                assertEquals("committed" + i, store.get("k" + i));
            }
            assertNull(store.get("k150"));
        }
    }

    @Test
    void crashDuringRestoreResumesFromTheLastRestoredBatch() throws Exception {
        ChildJvm child = new ChildJvm(CrashingWriter.class, dir.toString(), "restore");
        child.awaitLine("crashing");
        assertEquals(3, child.awaitExit());

        try (KeyValueStore<String, String> store = reopen()) {
            assertEquals(OptionalLong.of(549), store.committedOffset(), "five batches of ten were committed");
            assertEquals(50, store.approximateNumEntries());
            assertEquals("v49", store.get("r49"));
            assertNull(store.get("r50"));
        }
    }
}
