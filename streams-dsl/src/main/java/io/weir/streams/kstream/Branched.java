package io.weir.streams.kstream;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One branch of {@link KStream#split()}: its name (appended to the split's prefix to form its key in the result
 * map), and what to do with the branch stream: nothing (the map holds it), a function (the map holds its result,
 * unless null), or a consumer (the map holds nothing for it).
 */
public class Branched<K, V> {
    protected final String name;
    protected final Function<? super KStream<K, V>, ? extends KStream<K, V>> chain;
    protected final Consumer<? super KStream<K, V>> consumer;

    /** A copy, for the DSL's internals to read. */
    protected Branched(Branched<K, V> branched) {
        this(branched.name, branched.chain, branched.consumer);
    }

    private Branched(
            String name,
            Function<? super KStream<K, V>, ? extends KStream<K, V>> chain,
            Consumer<? super KStream<K, V>> consumer) {
        this.name = name;
        this.chain = chain;
        this.consumer = consumer;
    }

    public static <K, V> Branched<K, V> as(String name) {
        Named.validate(name);
        return new Branched<>(name, null, null);
    }

    public static <K, V> Branched<K, V> withFunction(Function<? super KStream<K, V>, ? extends KStream<K, V>> chain) {
        return new Branched<>(null, java.util.Objects.requireNonNull(chain, "chain"), null);
    }

    public static <K, V> Branched<K, V> withFunction(
            Function<? super KStream<K, V>, ? extends KStream<K, V>> chain, String name) {
        Named.validate(name);
        return new Branched<>(name, java.util.Objects.requireNonNull(chain, "chain"), null);
    }

    public static <K, V> Branched<K, V> withConsumer(Consumer<? super KStream<K, V>> consumer) {
        return new Branched<>(null, null, java.util.Objects.requireNonNull(consumer, "consumer"));
    }

    public static <K, V> Branched<K, V> withConsumer(Consumer<? super KStream<K, V>> consumer, String name) {
        Named.validate(name);
        return new Branched<>(name, null, java.util.Objects.requireNonNull(consumer, "consumer"));
    }
}
