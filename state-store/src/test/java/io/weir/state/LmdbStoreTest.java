package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.weir.common.utils.MockTime;
import io.weir.common.utils.Time;
import io.weir.state.errors.CorruptCheckpointException;
import io.weir.state.errors.IllegalStateTransitionException;
import io.weir.state.errors.InvalidKeyException;
import io.weir.state.errors.MapResizeBlockedException;
import io.weir.state.errors.OpenIteratorsException;
import io.weir.state.errors.RecordTooLargeException;
import io.weir.state.errors.StoreClosedException;
import io.weir.state.errors.StoreDirectoryException;
import io.weir.state.errors.StoreLockedException;
import io.weir.state.errors.UncommittedWritesException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

class LmdbStoreTest {
    private final Path root = TestDirs.create("weir-lmdb-test");
    private final Path dir = root.resolve("store");
    private final List<KeyValueStore<?, ?>> stores = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (KeyValueStore<?, ?> s : stores) {
            if (s.state() == StoreState.OPEN) {
                s.close();
            }
        }
        TestDirs.delete(root);
    }

    private KeyValueStore<String, String> open(StoreConfig config) {
        return open(config, Time.SYSTEM);
    }

    private KeyValueStore<String, String> open(StoreConfig config, Time time) {
        KeyValueStore<String, String> s = KeyValueStores.builder("test", Serdes.string(), Serdes.string())
                .lmdb(dir)
                .config(config)
                .time(time)
                .build();
        stores.add(s);
        return s;
    }

    private KeyValueStore<String, String> open() {
        return open(TestDirs.fastConfig());
    }

    private static List<String> keys(KeyValueIterator<String, String> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key()));
        }
        return out;
    }

    @Test
    void committedDataAndCheckpointSurviveReopen() {
        KeyValueStore<String, String> s = open(StoreConfig.DEFAULTS.withCacheMaxBytes(0));
        s.put("a", "1");
        s.put("b", "2");
        s.commit(41);
        s.put("c", "uncommitted");
        s.delete("a");
        s.close();

        KeyValueStore<String, String> reopened = open();
        assertEquals(OptionalLong.of(41), reopened.committedOffset());
        assertEquals("1", reopened.get("a"));
        assertNull(reopened.get("c"));
        assertEquals(List.of("a", "b"), keys(reopened.all()));
    }

    @Test
    void ownerReadsSeeUncommittedWritesButViewSeesCommittedOnly() {
        KeyValueStore<String, String> s = open();
        s.put("a", "1");
        s.commit(1);
        s.put("a", "2");
        s.put("b", "3");
        assertEquals("2", s.get("a"));
        assertEquals("1", s.readOnlyView().get("a"));
        assertEquals(List.of("a"), keys(s.readOnlyView().all()));
        assertEquals(List.of("a", "b"), keys(s.all()));
    }

    @Test
    void numericRangeScansFollowNumericOrderWithOrderedSerde() {
        KeyValueStore<Long, String> s = KeyValueStores.builder("nums", Serdes.orderedInt64(), Serdes.string())
                .lmdb(dir)
                .config(TestDirs.fastConfig())
                .build();
        stores.add(s);
        for (long k : new long[] {-300, -2, -1, 0, 1, 255, 256, Long.MAX_VALUE, Long.MIN_VALUE}) {
            s.put(k, "v" + k);
        }
        s.commit(0);
        List<Long> got = new ArrayList<>();
        try (KeyValueIterator<Long, String> it = s.range(-2L, 256L)) {
            it.forEachRemaining(kv -> got.add(kv.key()));
        }
        assertEquals(List.of(-2L, -1L, 0L, 1L, 255L, 256L), got);
        List<Long> reversed = new ArrayList<>();
        try (KeyValueIterator<Long, String> it = s.reverseAll()) {
            it.forEachRemaining(kv -> reversed.add(kv.key()));
        }
        assertEquals(List.of(Long.MAX_VALUE, 256L, 255L, 1L, 0L, -1L, -2L, -300L, Long.MIN_VALUE), reversed);
    }

    @Test
    void mapGrowsWhenFullWithoutLosingTheCommitInProgress() {
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withMapSizeBytes(64 << 10));
        String value = "x".repeat(900);
        for (int i = 0; i < 2_000; i++) {
            s.put(String.format("k%05d", i), value);
        }
        s.commit(7);
        assertEquals(2_000, s.approximateNumEntries());
        s.close();
        KeyValueStore<String, String> reopened = open(TestDirs.fastConfig().withMapSizeBytes(64 << 10));
        assertEquals(2_000, reopened.approximateNumEntries());
        assertEquals(value, reopened.get("k01999"));
        assertEquals(OptionalLong.of(7), reopened.committedOffset());
    }

    @Test
    void growthWaitsForNoIteratorOfTheCommittingThreadAndKeepsTheWritesForARetry() {
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withMapSizeBytes(64 << 10));
        s.put("first", "1");
        s.commit(1);
        KeyValueIterator<String, String> open = s.all();
        String value = "x".repeat(900);
        for (int i = 0; i < 500; i++) {
            s.put(String.format("k%05d", i), value);
        }
        MapResizeBlockedException e = assertThrows(MapResizeBlockedException.class, () -> s.commit(2));
        assertTrue(e.getMessage().contains("1 iterator(s) opened by the committing thread"), e.getMessage());
        assertEquals(OptionalLong.of(1), s.committedOffset());
        assertEquals(value, s.get("k00499"), "uncommitted writes are kept");
        open.close();
        s.commit(2);
        assertEquals(501, s.readOnlyView().approximateNumEntries());
        assertEquals(OptionalLong.of(2), s.committedOffset());
    }

    @Test
    void growthWaitsForAnotherThreadsIteratorUpToTheGraceThenRefuses() throws Exception {
        MockTime time = new MockTime();
        KeyValueStore<String, String> s =
                open(TestDirs.fastConfig().withMapSizeBytes(64 << 10).withCloseGrace(Duration.ofSeconds(5)), time);
        s.put("first", "1");
        s.commit(1);
        KeyValueIterator<String, String> held =
                CompletableFuture.supplyAsync(() -> s.readOnlyView().all()).get(10, TimeUnit.SECONDS);
        String value = "x".repeat(900);
        for (int i = 0; i < 500; i++) {
            s.put(String.format("k%05d", i), value);
        }
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> s.commit(2));
        long realDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!commit.isDone() && System.nanoTime() < realDeadline) {
            time.sleep(100);
            Thread.onSpinWait();
        }
        Exception e = assertThrows(Exception.class, () -> commit.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MapResizeBlockedException, String.valueOf(e.getCause()));
        assertTrue(
                e.getCause().getMessage().contains("1 iterator(s) stayed open"),
                e.getCause().getMessage());
        assertEquals("first", held.next().key(), "the reader's snapshot is intact");

        held.close();
        s.commit(2);
        assertEquals(501, s.readOnlyView().approximateNumEntries());
    }

    @Test
    void rejectsNullKeyAndLeavesDataUntouched() {
        KeyValueStore<String, String> s = open();
        s.put("a", "1");
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.put(null, "x"));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(InvalidKeyException.class, () -> s.get(null));
        assertThrows(InvalidKeyException.class, () -> s.delete(null));
        assertThrows(
                InvalidKeyException.class, () -> s.putAll(List.of(KeyValue.pair("b", "2"), KeyValue.pair(null, "3"))));
        assertThrows(InvalidKeyException.class, () -> s.prefixScan(null, Serdes.string()));
        assertNull(s.get("b"), "putAll validates every entry before applying any");
        assertEquals(List.of("a"), keys(s.all()));
    }

    @Test
    void rejectsEmptySerializedKey() {
        KeyValueStore<String, String> s = open();
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.put("", "x"));
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
    }

    @Test
    void rejectsKeyLargerThanLmdbAllowsNamingSizeAndLimit() {
        KeyValueStore<String, String> s = open();
        s.put("a", "1");
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> s.put("k".repeat(512), "v"));
        assertEquals(RecordTooLargeException.Part.KEY, e.part());
        assertEquals(512, e.size());
        assertEquals(511, e.limit());
        assertTrue(e.getMessage().contains("512") && e.getMessage().contains("511"), e.getMessage());
        s.put("k".repeat(511), "fits");
        s.commit(1);
        assertEquals("fits", s.get("k".repeat(511)));
        assertEquals("1", s.get("a"));
    }

    @Test
    void rejectsValueLargerThanConfiguredLimitNamingSizeAndLimit() {
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withMaxValueBytes(1024));
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> s.put("a", "v".repeat(2000)));
        assertEquals(RecordTooLargeException.Part.VALUE, e.part());
        assertEquals(2000, e.size());
        assertEquals(1024, e.limit());
        assertNull(s.get("a"));
    }

    @Test
    void rejectsDirectoryThatIsAFile() throws Exception {
        Files.createDirectories(root);
        Files.writeString(dir, "not a directory");
        StoreDirectoryException e = assertThrows(StoreDirectoryException.class, this::open);
        assertEquals(dir, e.directory());
        assertEquals("not a directory", Files.readString(dir));
    }

    @Test
    void rejectsDirectoryThatCannotBeCreated() throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("file"), "x");
        Path below = root.resolve("file").resolve("store");
        assertThrows(StoreDirectoryException.class, () -> KeyValueStores.builder("t", Serdes.string(), Serdes.string())
                .lmdb(below)
                .build());
    }

    @Test
    void rejectsUnwritableDirectory() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            StoreDirectoryException e = assertThrows(StoreDirectoryException.class, this::open);
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void rejectsDirectoryLockedByAnotherStoreInThisProcess() {
        KeyValueStore<String, String> first = open();
        first.put("a", "1");
        first.commit(3);
        StoreLockedException e = assertThrows(StoreLockedException.class, this::open);
        assertTrue(e.getMessage().contains("this process"), e.getMessage());
        assertEquals("1", first.get("a"));
        first.close();
        assertEquals("1", open().get("a"));
    }

    @Test
    void rejectsDirectoryLockedByAnotherProcess() throws Exception {
        try (ChildJvm child = new ChildJvm(LockHolder.class, dir.toString())) {
            child.awaitLine("open");
            StoreLockedException e = assertThrows(StoreLockedException.class, this::open);
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        }
        KeyValueStore<String, String> s = open();
        assertEquals("yes", s.get("held"));
        assertEquals(OptionalLong.of(1), s.committedOffset());
    }

    @Test
    void refusesUseAfterClose() {
        KeyValueStore<String, String> s = open();
        ReadOnlyKeyValueStore<String, String> view = s.readOnlyView();
        s.close();
        s.close();
        assertEquals(StoreState.CLOSED, s.state());
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> s.get("a"));
        assertEquals(StoreState.CLOSED, e.state());
        assertThrows(StoreClosedException.class, () -> s.put("a", "1"));
        assertThrows(StoreClosedException.class, () -> s.all());
        assertThrows(StoreClosedException.class, () -> s.commit(1));
        assertThrows(StoreClosedException.class, () -> view.get("a"));
        assertThrows(StoreClosedException.class, view::all);
    }

    @Test
    void refusesToOpenOnCorruptedCheckpointAndLeavesDataUntouched() throws Exception {
        KeyValueStore<String, String> s = open();
        s.put("a", "1");
        s.commit(5);
        s.close();
        byte[] garbage = {1, 2, 3};
        overwriteCheckpoint(garbage);

        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, this::open);
        assertEquals(dir, e.directory());
        assertTrue(e.getMessage().contains("expected 18 bytes, found 3"), e.getMessage());
        // The refusal released the lock and changed nothing: raw LMDB still has data and the same bad checkpoint.
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(2).open(dir.toFile())) {
            Dbi<ByteBuffer> data = env.openDbi("data");
            Dbi<ByteBuffer> meta = env.openDbi("meta");
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                assertEquals(1, data.stat(txn).entries);
                assertEquals(3, meta.get(txn, direct("checkpoint")).remaining());
            }
        }
    }

    @Test
    void refusesCheckpointWithBadCrc() throws Exception {
        KeyValueStore<String, String> s = open();
        s.commit(5);
        s.close();
        byte[] encoded = rawCheckpoint();
        encoded[8] ^= 1;
        overwriteCheckpoint(encoded);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, this::open);
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
    }

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private byte[] rawCheckpoint() {
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(2).open(dir.toFile())) {
            Dbi<ByteBuffer> meta = env.openDbi("meta");
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                ByteBuffer b = meta.get(txn, direct("checkpoint"));
                byte[] out = new byte[b.remaining()];
                b.get(out);
                return out;
            }
        }
    }

    private void overwriteCheckpoint(byte[] bytes) {
        try (Env<ByteBuffer> env = Env.create().setMaxDbs(2).open(dir.toFile())) {
            Dbi<ByteBuffer> meta = env.openDbi("meta");
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                meta.put(
                        txn,
                        direct("checkpoint"),
                        ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
                txn.commit();
            }
        }
    }

    @Test
    void closeRefusesWithIteratorOpenPastGraceSayingHowMany() {
        MockTime time = new MockTime();
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withCloseGrace(Duration.ofSeconds(5)), time);
        s.put("a", "1");
        s.commit(1);
        KeyValueIterator<String, String> first = s.all();
        KeyValueIterator<String, String> second = s.readOnlyView().range("a", "z");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        while (s.state() != StoreState.CLOSING) {
            Thread.onSpinWait();
        }
        time.sleep(6000);
        Exception e = assertThrows(Exception.class, () -> closing.get(10, TimeUnit.SECONDS));
        OpenIteratorsException refused = (OpenIteratorsException) e.getCause();
        assertEquals(2, refused.openIterators());
        assertTrue(refused.getMessage().contains("2 iterator(s)"), refused.getMessage());
        assertEquals(StoreState.OPEN, s.state());
        assertEquals("a", first.next().key(), "iterators stay usable after a refused close");

        first.close();
        second.close();
        s.close();
        assertEquals(StoreState.CLOSED, s.state());
    }

    @Test
    void closeWaitsForIteratorClosedWithinGrace() throws Exception {
        MockTime time = new MockTime();
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withCloseGrace(Duration.ofSeconds(5)), time);
        KeyValueIterator<String, String> it = s.all();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        while (s.state() != StoreState.CLOSING) {
            Thread.onSpinWait();
        }
        time.sleep(4000);
        it.close();
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(StoreState.CLOSED, s.state());
    }

    @Test
    void stateTableRejectsIllegalTransitions() {
        assertTrue(StoreState.OPEN.canTransitionTo(StoreState.CLOSING));
        assertFalse(StoreState.OPEN.canTransitionTo(StoreState.CLOSED));
        assertFalse(StoreState.CLOSED.canTransitionTo(StoreState.OPEN));
        IllegalStateTransitionException e =
                new IllegalStateTransitionException("s", StoreState.CLOSED, StoreState.OPEN);
        assertTrue(e.getMessage().contains("CLOSED -> OPEN"));
    }

    @Test
    void restoreAppliesBatchesMovesCheckpointAndReportsProgress() {
        MockTime time = new MockTime();
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withRestoreBatchRecords(100), time);
        List<ChangelogRecord> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(new ChangelogRecord(
                    1000 + i,
                    ("k" + (i % 120)).getBytes(StandardCharsets.UTF_8),
                    i % 7 == 0 ? null : ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<RestoreProgress> reports = new ArrayList<>();
        RestoreProgress done = s.restore(records.iterator(), records.size(), new RestoreListener() {
            @Override
            public void onBatchRestored(String store, RestoreProgress progress) {
                reports.add(progress);
                time.sleep(10);
            }
        });
        assertEquals(
                List.of(100L, 200L, 250L),
                reports.stream().map(RestoreProgress::restored).toList());
        assertEquals(250, done.total());
        assertEquals(1249, done.lastOffset());
        assertEquals(250 / 0.02, reports.get(2).recordsPerSecond(), 1e-6, "250 records in 20 ms of time time");
        assertEquals(OptionalLong.of(1249), s.committedOffset());

        Map<String, String> expected = new java.util.TreeMap<>();
        for (ChangelogRecord r : records) {
            String k = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                expected.remove(k);
            } else {
                expected.put(k, new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        s.close();
        KeyValueStore<String, String> reopened = open();
        Map<String, String> actual = new java.util.TreeMap<>();
        try (KeyValueIterator<String, String> it = reopened.all()) {
            it.forEachRemaining(kv -> actual.put(kv.key(), kv.value()));
        }
        assertEquals(expected, actual);
        assertEquals(OptionalLong.of(1249), reopened.committedOffset());
    }

    @Test
    void restoreRefusesWhileUncommittedWritesExist() {
        KeyValueStore<String, String> s = open();
        s.put("a", "1");
        assertThrows(
                UncommittedWritesException.class,
                () -> s.restore(List.<ChangelogRecord>of().iterator(), 0, RestoreListener.NONE));
    }

    @Test
    void restoreStopsAtBadRecordKeepingEarlierBatches() {
        KeyValueStore<String, String> s = open(TestDirs.fastConfig().withRestoreBatchRecords(2));
        List<ChangelogRecord> records = List.of(
                new ChangelogRecord(1, "a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8)),
                new ChangelogRecord(2, "b".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8)),
                new ChangelogRecord(3, "c".getBytes(StandardCharsets.UTF_8), "3".getBytes(StandardCharsets.UTF_8)),
                new ChangelogRecord(4, new byte[600], "4".getBytes(StandardCharsets.UTF_8)));
        assertThrows(RecordTooLargeException.class, () -> s.restore(records.iterator(), 4, RestoreListener.NONE));
        assertEquals(OptionalLong.of(2), s.committedOffset());
        assertEquals(List.of("a", "b"), keys(s.all()));
    }
}
