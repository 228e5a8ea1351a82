package io.weir.clients.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The result of an {@link Admin} call over several keys (topics or partitions): one future per key in
 * {@link #values()}, and {@link #all()} which completes when every key succeeded, or exceptionally with the
 * first failure. The shape of Kafka's {@code CreateTopicsResult}, {@code DeleteTopicsResult} and friends,
 * built on {@link CompletableFuture}. Immutable.
 *
 * @param <K> the key (topic name or partition)
 * @param <V> the value per key ({@code Void} when there is nothing to return)
 */
public class KeyedResult<K, V> {
    private final Map<K, CompletableFuture<V>> values;

    public KeyedResult(Map<K, CompletableFuture<V>> values) {
        this.values = Map.copyOf(values);
    }

    /** One future per key. */
    public Map<K, CompletableFuture<V>> values() {
        return values;
    }

    /** Every key's value once all succeeded; fails with the first key's failure. */
    public CompletableFuture<Map<K, V>> all() {
        return CompletableFuture.allOf(values.values().toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    Map<K, V> result = new LinkedHashMap<>();
                    values.forEach((k, f) -> result.put(k, f.join()));
                    return result;
                });
    }
}
