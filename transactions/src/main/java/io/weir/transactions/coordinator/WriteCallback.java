package io.weir.transactions.coordinator;

/** Reports the end of a write the coordinator asked for: exactly once, with null on success. */
@FunctionalInterface
public interface WriteCallback {
    void onComplete(Throwable failure);
}
