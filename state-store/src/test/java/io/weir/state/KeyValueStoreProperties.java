package io.weir.state;

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
 * The LMDB and in-memory stores against a TreeMap model: random puts, deletes, putIfAbsent, putAll, point reads,
 * range / reverse / open-ended / prefix scans, commits, the committed view and (LMDB) reopen without commit, which
 * is what a crash leaves. Keys come from a tiny alphabet that includes a two-byte UTF-8 character so that unsigned
 * byte order (not {@code String} order) is exercised.
 */
class KeyValueStoreProperties {
    private final Path root = TestDirs.create("weir-kv-props");
    private final List<StoreModel> opened = new ArrayList<>();
    private int next;

    @Property(tries = 200)
    void lmdbStoreBehavesLikeTreeMap(@ForAll("lmdbChains") ActionChain<StoreModel> chain) {
        chain.withInvariant("committed view", StoreModel::checkView).run();
        net.jqwik.api.statistics.Statistics.label("steps")
                .collect(chain.transformations().size() / 10 * 10);
        net.jqwik.api.statistics.Statistics.label("reopens")
                .collect(chain.transformations().stream()
                        .filter("reopen"::equals)
                        .count());
    }

    @Property(tries = 200)
    void inMemoryStoreBehavesLikeTreeMap(@ForAll("inMemoryChains") ActionChain<StoreModel> chain) {
        chain.withInvariant("committed view", StoreModel::checkView).run();
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> lmdbChains() {
        return common(ActionChain.startWith(
                        () -> track(new StoreModel(root.resolve("s" + next++), TestDirs.fastConfig()))))
                .withAction(1, Action.just("reopen", Transformer.mutate("reopen", StoreModel::reopen)));
    }

    @Provide
    Arbitrary<ActionChain<StoreModel>> inMemoryChains() {
        return common(ActionChain.startWith(() -> track(new StoreModel(null, TestDirs.fastConfig()))));
    }

    private StoreModel track(StoreModel m) {
        opened.add(m);
        return m;
    }

    static ActionChainArbitrary<StoreModel> common(ActionChainArbitrary<StoreModel> chain) {
        return chain.withAction(
                        6,
                        action(Combinators.combine(keys(), values().injectNull(0.1))
                                .as((k, v) -> Transformer.mutate("put " + k + "=" + v, m -> m.put(k, v)))))
                .withAction(2, action(keys().map(k -> Transformer.mutate("delete " + k, m -> m.delete(k)))))
                .withAction(
                        1,
                        action(Combinators.combine(keys(), values())
                                .as((k, v) ->
                                        Transformer.mutate("putIfAbsent " + k + "=" + v, m -> m.putIfAbsent(k, v)))))
                .withAction(
                        1,
                        action(Combinators.combine(keys(), values().injectNull(0.2))
                                .as(KeyValue::new)
                                .list()
                                .ofMaxSize(4)
                                .map(es -> Transformer.mutate("putAll " + es, m -> m.putAll(es)))))
                .withAction(2, action(keys().map(k -> Transformer.mutate("get " + k, m -> m.checkGet(k)))))
                .withAction(
                        2,
                        action(Combinators.combine(keys(), keys(), Arbitraries.of(false, true))
                                .as((a, b, r) -> Transformer.mutate(
                                        (r ? "reverseRange " : "range ") + a + ".." + b, m -> m.checkRange(a, b, r)))))
                .withAction(
                        1,
                        action(Combinators.combine(keys().injectNull(0.5), keys().injectNull(0.5))
                                .as((a, b) ->
                                        Transformer.mutate("openRange " + a + ".." + b, m -> m.checkOpenRange(a, b)))))
                .withAction(
                        1,
                        action(Arbitraries.of(false, true)
                                .map(r -> Transformer.mutate(r ? "reverseAll" : "all", m -> m.checkAll(r)))))
                .withAction(
                        1,
                        action(keys().ofMaxLength(2)
                                .map(p -> Transformer.mutate("prefixScan " + p, m -> m.checkPrefix(p)))))
                .withAction(2, Action.just("commit", Transformer.mutate("commit", StoreModel::commit)))
                .withMaxTransformations(60);
    }

    private static Action.Independent<StoreModel> action(Arbitrary<Transformer<StoreModel>> transformers) {
        return () -> transformers;
    }

    /** Short keys over 'a', 'b' and 'ÿ' (UTF-8 C3 BF: a byte above 0x7F). */
    static net.jqwik.api.arbitraries.StringArbitrary keys() {
        return Arbitraries.strings().withChars('a', 'b', 'ÿ').ofMinLength(1).ofMaxLength(3);
    }

    static Arbitrary<String> values() {
        return Arbitraries.strings().withCharRange('0', '9').ofMaxLength(4);
    }

    @AfterTry
    void closeStores() {
        for (StoreModel m : opened) {
            m.close();
        }
        opened.clear();
    }

    @AfterProperty
    void deleteDirs() {
        TestDirs.delete(root);
    }
}
