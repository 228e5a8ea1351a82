package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Restore equals replaying the changelog over the committed data, whatever the batch size, duplicate keys, deletes
 * of absent keys, or whether the batch can be appended (keys above every stored key) — for both backends.
 */
class RestoreProperties {
    private final Path root = TestDirs.create("weir-restore-props");
    private int next;

    record Change(String key, String value) {}

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<String> keys = Arbitraries.strings()
                .withChars('a', 'b', 'c', 'ÿ')
                .ofMinLength(1)
                .ofMaxLength(2);
        return Combinators.combine(
                        keys, Arbitraries.strings().numeric().ofMaxLength(2).injectNull(0.25))
                .as(Change::new)
                .list()
                .ofMaxSize(30);
    }

    @Provide
    Arbitrary<Map<String, String>> initial() {
        return Arbitraries.maps(
                        Arbitraries.strings().withChars('a', 'b').ofMinLength(1).ofMaxLength(2),
                        Arbitraries.strings().numeric().ofLength(1))
                .ofMaxSize(4);
    }

    @Property(tries = 150)
    void restoreEqualsReplay(
            @ForAll("initial") Map<String, String> initial,
            @ForAll("changes") List<Change> changes,
            @ForAll @IntRange(min = 1, max = 7) int batch,
            @ForAll boolean lmdb) {
        StoreConfig config = TestDirs.fastConfig().withRestoreBatchRecords(batch);
        KeyValueStoreBuilder<String, String> b =
                KeyValueStores.builder("r", Serdes.string(), Serdes.string()).config(config);
        try (KeyValueStore<String, String> store =
                lmdb ? b.lmdb(root.resolve("s" + next++)).build() : b.inMemory().build()) {
            TreeMap<String, String> expected = new TreeMap<>(StoreModel.BYTE_ORDER);
            expected.putAll(initial);
            initial.forEach(store::put);
            store.commit(0);
            List<ChangelogRecord> records = new ArrayList<>();
            long offset = 1;
            for (Change c : changes) {
                records.add(new ChangelogRecord(
                        offset++,
                        c.key().getBytes(StandardCharsets.UTF_8),
                        c.value() == null ? null : c.value().getBytes(StandardCharsets.UTF_8)));
                if (c.value() == null) {
                    expected.remove(c.key());
                } else {
                    expected.put(c.key(), c.value());
                }
            }
            RestoreProgress done = store.restore(records.iterator(), records.size(), RestoreListener.NONE);
            assertEquals(records.size(), done.restored());
            assertEquals(OptionalLong.of(records.isEmpty() ? 0 : offset - 1), store.committedOffset());
            assertEquals(new ArrayList<>(expected.entrySet()), StoreModel.entries(store.all()));
            assertEquals(
                    new ArrayList<>(expected.entrySet()),
                    StoreModel.entries(store.readOnlyView().all()));
        }
    }

    @AfterProperty
    void deleteDirs() {
        TestDirs.delete(root);
    }
}
