package io.weir.state.internals;

import io.weir.state.ChangelogHook;

/**
 * Hands every write that reaches the store below to the {@link ChangelogHook}, before applying it: a write the hook
 * rejects (throws) is not applied. Above it sits the cache, if any, so the hook sees writes after collapsing.
 * Restore bypasses the hook (restored records came from the changelog). Owner thread only.
 */
final class ChangeLoggingBytesStore extends DelegatingBytesStore {
    private final ChangelogHook hook;

    ChangeLoggingBytesStore(BytesStore inner, ChangelogHook hook) {
        super(inner);
        this.hook = hook;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        ensureOpen();
        limits().checkKey(key);
        limits().checkValue(value);
        hook.logChange(key, value);
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        limits().checkValue(value);
        byte[] existing = inner.get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public byte[] delete(byte[] key) {
        byte[] existing = inner.get(key);
        put(key, null);
        return existing;
    }
}
