package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A store under test next to its model: a TreeMap in the store's order (unsigned UTF-8 bytes, which is not
 * {@code String.compareTo}), the owner's view and the last committed state with its checkpoint.
 */
final class StoreModel {
    static final Comparator<String> BYTE_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    final Path dir;
    final StoreConfig config;
    KeyValueStore<String, String> store;
    TreeMap<String, String> current = new TreeMap<>(BYTE_ORDER);
    TreeMap<String, String> committed = new TreeMap<>(BYTE_ORDER);
    OptionalLong checkpoint = OptionalLong.empty();
    long nextOffset;

    StoreModel(Path dir, StoreConfig config) {
        this.dir = dir;
        this.config = config;
        this.store = open();
    }

    boolean persistent() {
        return dir != null;
    }

    KeyValueStore<String, String> open() {
        KeyValueStoreBuilder<String, String> b = KeyValueStores.builder("model", Serdes.string(), Serdes.string())
                .config(config);
        return (dir == null ? b.inMemory() : b.lmdb(dir)).build();
    }

    void put(String k, String v) {
        store.put(k, v);
        if (v == null) {
            current.remove(k);
        } else {
            current.put(k, v);
        }
    }

    void putIfAbsent(String k, String v) {
        assertEquals(current.get(k), store.putIfAbsent(k, v), "putIfAbsent " + k);
        if (!current.containsKey(k) && v != null) {
            current.put(k, v);
        }
    }

    void delete(String k) {
        assertEquals(current.get(k), store.delete(k), "delete " + k);
        current.remove(k);
    }

    void putAll(List<KeyValue<String, String>> entries) {
        store.putAll(entries);
        for (KeyValue<String, String> e : entries) {
            if (e.value() == null) {
                current.remove(e.key());
            } else {
                current.put(e.key(), e.value());
            }
        }
    }

    void commit() {
        long offset = nextOffset++;
        store.commit(offset);
        committed = new TreeMap<>(current);
        checkpoint = OptionalLong.of(offset);
        assertEquals(checkpoint, store.committedOffset());
        assertEquals(committed.size(), store.approximateNumEntries(), "entries after commit");
    }

    /** Close without committing (what a crash leaves too: uncommitted writes never reached LMDB) and reopen. */
    void reopen() {
        store.close();
        store = open();
        current = new TreeMap<>(committed);
        assertEquals(checkpoint, store.committedOffset(), "checkpoint after reopen");
        assertEquals(new ArrayList<>(committed.entrySet()), entries(store.all()), "data after reopen");
    }

    void checkGet(String k) {
        assertEquals(current.get(k), store.get(k), "get " + k);
    }

    void checkRange(String from, String to, boolean reverse) {
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        if (BYTE_ORDER.compare(from, to) <= 0) {
            NavigableMap<String, String> sub = current.subMap(from, true, to, true);
            expected.addAll((reverse ? sub.descendingMap() : sub).entrySet());
        }
        try (KeyValueIterator<String, String> it = reverse ? store.reverseRange(from, to) : store.range(from, to)) {
            assertEquals(expected, entries(it), (reverse ? "reverseRange " : "range ") + from + ".." + to);
        }
    }

    void checkOpenRange(String from, String to) {
        NavigableMap<String, String> sub = current;
        if (from != null && to != null && BYTE_ORDER.compare(from, to) > 0) {
            sub = new TreeMap<>();
        } else if (from != null) {
            sub = sub.tailMap(from, true);
        }
        if (to != null && !sub.isEmpty()) {
            sub = sub.headMap(to, true);
        }
        assertEquals(new ArrayList<>(sub.entrySet()), entries(store.range(from, to)), "range " + from + ".." + to);
    }

    void checkAll(boolean reverse) {
        List<Map.Entry<String, String>> expected =
                new ArrayList<>((reverse ? current.descendingMap() : current).entrySet());
        assertEquals(expected, entries(reverse ? store.reverseAll() : store.all()), reverse ? "reverseAll" : "all");
    }

    void checkPrefix(String prefix) {
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        for (Map.Entry<String, String> e : current.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                expected.add(e);
            }
        }
        assertEquals(expected, entries(store.prefixScan(prefix, Serdes.string())), "prefixScan " + prefix);
    }

    void checkView() {
        assertEquals(
                new ArrayList<>(committed.entrySet()),
                entries(store.readOnlyView().all()),
                "committed view");
    }

    static List<Map.Entry<String, String>> entries(KeyValueIterator<String, String> it) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                out.add(Map.entry(kv.key(), kv.value()));
            }
        }
        return out;
    }

    void close() {
        if (store.state() != StoreState.CLOSED) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "StoreModel" + current;
    }
}
