package io.weir.transactions.internals;

import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.ProducerStateManager;
import java.util.Objects;

/**
 * Where {@link ProducerStateManager}'s static factories reach the package-private implementation. Not API:
 * call {@link ProducerStateManager#create} and {@link ProducerStateManager#restore} instead.
 */
public final class ProducerStates {
    private ProducerStates() {}

    public static ProducerStateManager create(ProducerStateConfig config, Time clock) {
        return new DefaultProducerStateManager(
                Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(clock, "clock"),
                ProducerStateSnapshot.EMPTY);
    }

    public static ProducerStateManager restore(byte[] snapshot, ProducerStateConfig config, Time clock) {
        Objects.requireNonNull(snapshot, "snapshot");
        return new DefaultProducerStateManager(
                Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(clock, "clock"),
                ProducerStateSnapshot.decode(snapshot));
    }
}
