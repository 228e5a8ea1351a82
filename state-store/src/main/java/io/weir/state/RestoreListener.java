package io.weir.state;

/** Progress reports of {@link StateStore#restore}, called on the restoring thread after each committed batch. */
public interface RestoreListener {
    RestoreListener NONE = new RestoreListener() {};

    default void onRestoreStart(String store, long expectedTotal) {}

    default void onBatchRestored(String store, RestoreProgress progress) {}

    default void onRestoreEnd(String store, RestoreProgress progress) {}
}
