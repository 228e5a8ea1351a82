package io.weir.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: commits a known state, then keeps writing (uncommitted, some
 * still in the cache, some flushed to the store's pending writes) and kills itself with {@code Runtime.halt}, which
 * skips every close and shutdown hook — a crash as far as the store can tell. Mode {@code restore} crashes in the
 * middle of a bulk restore instead.
 */
public final class CrashingWriter {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        KeyValueStore<String, String> store = KeyValueStores.builder("crashing", Serdes.string(), Serdes.string())
                .lmdb(dir)
                .config(StoreConfig.DEFAULTS.withCacheMaxBytes(4096).withRestoreBatchRecords(10))
                .build();
        if ("restore".equals(args[1])) {
            List<ChangelogRecord> records = new ArrayList<>();
            for (int i = 0; i < 95; i++) {
                records.add(new ChangelogRecord(
                        500 + i,
                        ("r" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            store.restore(records.iterator(), records.size(), new RestoreListener() {
                @Override
                public void onBatchRestored(String s, RestoreProgress progress) {
                    if (progress.restored() == 50) {
                        System.out.println("crashing");
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    }
                }
            });
            return;
        }
        for (int i = 0; i < 100; i++) {
            store.put("k" + i, "committed" + i);
        }
        store.commit(100);
        for (int i = 0; i < 200; i++) {
            store.put("k" + i, "lost" + i);
        }
        store.flush();
        store.put("k0", "lost-in-cache");
        store.delete("k1");
        System.out.println("crashing");
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }
}
