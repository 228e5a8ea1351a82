package io.weir.state.internals;

import io.weir.state.TestDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The record cache over random updates, deletes, reads, scans, flushes, commits and reopens: after every flush the
 * store below and the replayed changelog equal the model and the forwarder saw the changelog's sequence; with a
 * cache too large to evict, each flush logs every updated key exactly once, in the order of its last update.
 */
class CachingStoreProperties {
    private final Path root = TestDirs.create("weir-cache-props");
    private final List<CacheModel> opened = new ArrayList<>();
    private int next;

    @Property(tries = 150)
    void smallCacheOverLmdbEvictsAndFlushesConsistently(@ForAll("smallLmdb") ActionChain<CacheModel> chain) {
        chain.run();
    }

    @Property(tries = 150)
    void largeCacheCollapsesUpdatesPerKey(@ForAll("largeInMemory") ActionChain<CacheModel> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<CacheModel>> smallLmdb() {
        // ~6 entries fit: evictions of dirty entries happen all the time.
        return actions(
                        ActionChain.startWith(() -> track(new CacheModel(
                                root.resolve("c" + next++), 6 * (CachingBytesStore.ENTRY_OVERHEAD_BYTES + 8)))),
                        false)
                .withAction(1, Action.just(Transformer.mutate("reopen", CacheModel::reopen)));
    }

    @Provide
    Arbitrary<ActionChain<CacheModel>> largeInMemory() {
        return actions(ActionChain.startWith(() -> track(new CacheModel(null, 1 << 20))), true);
    }

    private CacheModel track(CacheModel m) {
        opened.add(m);
        return m;
    }

    private static ActionChainArbitrary<CacheModel> actions(
            ActionChainArbitrary<CacheModel> chain, boolean noEvictions) {
        Arbitrary<String> keys = Arbitraries.strings()
                .withChars('a', 'b', 'c', 'ÿ')
                .ofMinLength(1)
                .ofMaxLength(2);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('0', '9').ofMaxLength(3);
        return chain.withAction(
                        8,
                        act(Combinators.combine(keys, values.injectNull(0.1))
                                .as((k, v) -> Transformer.mutate("put " + k + "=" + v, m -> m.put(k, v)))))
                .withAction(2, act(keys.map(k -> Transformer.mutate("delete " + k, m -> m.delete(k)))))
                .withAction(2, act(keys.map(k -> Transformer.mutate("get " + k, m -> m.checkGet(k)))))
                .withAction(
                        2,
                        act(Combinators.combine(keys, keys, Arbitraries.of(false, true))
                                .as((a, b, r) -> Transformer.mutate(
                                        "scan " + a + ".." + b + (r ? " reverse" : ""), m -> m.checkScan(a, b, r)))))
                .withAction(3, Action.just(Transformer.mutate("flush", m -> m.flush(noEvictions))))
                .withAction(1, Action.just(Transformer.mutate("commit", CacheModel::commit)))
                .withMaxTransformations(50);
    }

    private static Action.Independent<CacheModel> act(Arbitrary<Transformer<CacheModel>> t) {
        return () -> t;
    }

    @AfterTry
    void closeStores() {
        for (CacheModel m : opened) {
            m.close();
        }
        opened.clear();
    }

    @AfterProperty
    void deleteDirs() {
        TestDirs.delete(root);
    }
}
