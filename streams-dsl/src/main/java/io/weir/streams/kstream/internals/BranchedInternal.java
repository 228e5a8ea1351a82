package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Branched;
import io.weir.streams.kstream.KStream;
import java.util.function.Consumer;
import java.util.function.Function;

/** Reads a {@link Branched}'s parts, which users only set. */
final class BranchedInternal<K, V> extends Branched<K, V> {
    BranchedInternal(Branched<K, V> branched) {
        super(branched);
    }

    String name() {
        return name;
    }

    Function<? super KStream<K, V>, ? extends KStream<K, V>> chain() {
        return chain;
    }

    Consumer<? super KStream<K, V>> consumer() {
        return consumer;
    }
}
