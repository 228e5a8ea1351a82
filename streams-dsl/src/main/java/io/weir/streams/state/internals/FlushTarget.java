package io.weir.streams.state.internals;

import io.weir.state.FlushListener;

/**
 * The flush listener a cached store is built with, pointing at the listener its processor registers later (the
 * store is built before processors initialise). Until one registers, flushes go nowhere.
 */
final class FlushTarget<K, V> implements FlushListener<K, V> {
    private FlushListener<K, V> listener;

    void set(FlushListener<K, V> listener) {
        this.listener = listener;
    }

    @Override
    public void onFlush(K key, V newValue, V oldValue) {
        FlushListener<K, V> target = listener;
        if (target != null) {
            target.onFlush(key, newValue, oldValue);
        }
    }
}
