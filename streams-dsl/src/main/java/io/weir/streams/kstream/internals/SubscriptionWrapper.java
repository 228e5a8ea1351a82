package io.weir.streams.kstream.internals;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the left side of a foreign-key join sends, keyed by the foreign key, to the right side's subscription store:
 * the hash of the left value it was sent for (null for a delete), what the right side is to do, the left row's key,
 * and the partition of the left task, to which the response is to go. As Kafka Streams' {@code SubscriptionWrapper}.
 * Immutable (the hash array is never written after construction).
 */
final class SubscriptionWrapper<K> {

    /** What the right side does with a subscription; the byte is written to the topic and the store. */
    enum Instruction {
        /** Unsubscribe (the left row moved to another foreign key, or to none, or is gone); answer nothing. */
        DELETE_KEY_NO_PROPAGATE((byte) 0),
        /** Unsubscribe and answer with no foreign value. Kafka's; Weir reads it but no longer sends it. */
        DELETE_KEY_AND_PROPAGATE((byte) 1),
        /** Subscribe and answer, with no foreign value if the right table has none (or the key is null). */
        PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE((byte) 2),
        /** Subscribe and answer only if the right table has the key. Kafka's; Weir reads it but no longer sends it. */
        PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE((byte) 3);

        final byte code;

        Instruction(byte code) {
            this.code = code;
        }

        /** @throws IllegalArgumentException for a byte no instruction has */
        static Instruction of(byte code) {
            for (Instruction i : values()) {
                if (i.code == code) {
                    return i;
                }
            }
            throw new IllegalArgumentException("Unknown foreign-key join subscription instruction " + code);
        }

        boolean unsubscribes() {
            return this == DELETE_KEY_NO_PROPAGATE || this == DELETE_KEY_AND_PROPAGATE;
        }
    }

    private final long[] hash;
    private final Instruction instruction;
    private final K primaryKey;
    private final int primaryPartition;

    /** @param hash the left value's 128-bit hash as two longs, or null when the left row was deleted */
    SubscriptionWrapper(long[] hash, Instruction instruction, K primaryKey, int primaryPartition) {
        if (hash != null && hash.length != 2) {
            throw new IllegalArgumentException("A subscription's hash is 2 longs, not " + hash.length);
        }
        this.hash = hash;
        this.instruction = Objects.requireNonNull(instruction, "instruction");
        this.primaryKey = Objects.requireNonNull(primaryKey, "primaryKey");
        this.primaryPartition = primaryPartition;
    }

    long[] hash() {
        return hash;
    }

    Instruction instruction() {
        return instruction;
    }

    K primaryKey() {
        return primaryKey;
    }

    int primaryPartition() {
        return primaryPartition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriptionWrapper<?> that
                && Arrays.equals(hash, that.hash)
                && instruction == that.instruction
                && primaryKey.equals(that.primaryKey)
                && primaryPartition == that.primaryPartition;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hash), instruction, primaryKey, primaryPartition);
    }

    @Override
    public String toString() {
        return "SubscriptionWrapper{" + instruction + ", primaryKey=" + primaryKey + ", hash=" + Arrays.toString(hash)
                + ", primaryPartition=" + primaryPartition + "}";
    }
}
