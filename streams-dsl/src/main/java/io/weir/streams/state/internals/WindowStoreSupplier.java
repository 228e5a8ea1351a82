package io.weir.streams.state.internals;

import io.weir.streams.state.SessionBytesStoreSupplier;
import io.weir.streams.state.WindowBytesStoreSupplier;

/** A window or session store's name, backend and retention, checked as {@link StoreSupplier} checks names. */
public final class WindowStoreSupplier implements WindowBytesStoreSupplier, SessionBytesStoreSupplier {
    private final String name;
    private final long retentionMs;
    private final long windowSizeMs;
    private final boolean retainDuplicates;
    private final boolean persistent;

    private WindowStoreSupplier(
            String name, long retentionMs, long windowSizeMs, boolean retainDuplicates, boolean persistent) {
        new StoreSupplier(name, persistent); // validates the name
        if (retentionMs <= 0) {
            throw new IllegalArgumentException("retentionPeriod of store " + name + " must be > 0, was " + retentionMs);
        }
        this.name = name;
        this.retentionMs = retentionMs;
        this.windowSizeMs = windowSizeMs;
        this.retainDuplicates = retainDuplicates;
        this.persistent = persistent;
    }

    /** @throws IllegalArgumentException if the window size is not positive or exceeds the retention */
    public static WindowStoreSupplier window(
            String name, long retentionMs, long windowSizeMs, boolean retainDuplicates, boolean persistent) {
        if (windowSizeMs <= 0 || windowSizeMs > retentionMs) {
            throw new IllegalArgumentException("The retention period of the window store " + name
                    + " must be no smaller than its window size, and the size > 0. Got size=" + windowSizeMs
                    + ", retention=" + retentionMs);
        }
        return new WindowStoreSupplier(name, retentionMs, windowSizeMs, retainDuplicates, persistent);
    }

    public static WindowStoreSupplier session(String name, long retentionMs, boolean persistent) {
        return new WindowStoreSupplier(name, retentionMs, 0, false, persistent);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long retentionPeriod() {
        return retentionMs;
    }

    @Override
    public long windowSize() {
        return windowSizeMs;
    }

    @Override
    public boolean retainDuplicates() {
        return retainDuplicates;
    }

    @Override
    public long segmentIntervalMs() {
        return Math.max(retentionMs / 2, 60_000L);
    }

    @Override
    public boolean persistent() {
        return persistent;
    }
}
