package io.weir.state;

import java.nio.file.Path;

/**
 * Run in a child JVM: opens an LMDB store in the directory given as argument, prints "open", and keeps it open
 * until its standard input closes. Used to hold a store directory's lock from another process.
 */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        try (KeyValueStore<String, String> store = KeyValueStores.builder("holder", Serdes.string(), Serdes.string())
                .lmdb(Path.of(args[0]))
                .config(TestDirs.fastConfig())
                .build()) {
            store.put("held", "yes");
            store.commit(1);
            System.out.println("open");
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our stdin
            }
        }
    }
}
