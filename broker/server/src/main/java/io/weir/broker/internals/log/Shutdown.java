package io.weir.broker.internals.log;

/**
 * How a log was left, which decides how much of it an open checks: after a clean shutdown only the active segment's
 * tail (from its last index entry, CRC included); after a crash every batch from the recovery point on.
 */
public sealed interface Shutdown {

    /** The broker closed the log: its files were synced and the clean-shutdown marker written. */
    Shutdown CLEAN = new Clean();

    /** The broker stopped without closing; everything from {@code recoveryPoint} on may be torn. */
    static Shutdown crash(long recoveryPoint) {
        return new Crash(recoveryPoint);
    }

    /** A clean shutdown. */
    record Clean() implements Shutdown {}

    /** A crash, with the offset below which every batch was synced. */
    record Crash(long recoveryPoint) implements Shutdown {}
}
