package io.weir.state;

/**
 * The downstream forwarder of a cached store: receives each entry the cache flushes (or evicts while dirty), in the
 * same order the entries are written to the store and handed to the {@link ChangelogHook}. Called on the owner
 * thread.
 */
@FunctionalInterface
public interface FlushListener<K, V> {
    /**
     * @param newValue the flushed value, or {@code null} if the key was deleted
     * @param oldValue the value the store held before this flush wrote the new one, or {@code null} if none
     */
    void onFlush(K key, V newValue, V oldValue);
}
