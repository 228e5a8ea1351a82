package io.weir.streams.kstream;

import java.util.Map;

/**
 * The branches of a {@link KStream#split()}: each record goes to the first branch whose predicate it passes, or to
 * the default branch, or nowhere.
 */
public interface BranchedKStream<K, V> {

    BranchedKStream<K, V> branch(Predicate<? super K, ? super V> predicate);

    BranchedKStream<K, V> branch(Predicate<? super K, ? super V> predicate, Branched<K, V> branched);

    /** Records that passed no predicate go to a last branch; returns the branches by name. */
    Map<String, KStream<K, V>> defaultBranch();

    Map<String, KStream<K, V>> defaultBranch(Branched<K, V> branched);

    /** Records that passed no predicate are dropped; returns the branches by name. */
    Map<String, KStream<K, V>> noDefaultBranch();
}
