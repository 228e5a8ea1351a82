package io.weir.clients.admin;

import java.util.Objects;

/**
 * One change of one configuration key, as Kafka's {@code AlterConfigOp}. Immutable.
 *
 * <pre>{@code
 * new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)
 * new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)
 * new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE)
 * }</pre>
 *
 * @param configEntry the key and, except for DELETE, the value
 * @param opType      what to do with them
 */
public record AlterConfigOp(ConfigEntry configEntry, OpType opType) {

    /** Kafka's operation types, with its ids. */
    public enum OpType {
        /** Set the key to the value. */
        SET(0),
        /** Remove the resource's own value, so the default applies again; the entry's value is ignored. */
        DELETE(1),
        /**
         * Add the value's comma-separated elements not already present to a list-valued key (its current value,
         * override or default), e.g. {@code compact} to {@code cleanup.policy=delete} gives {@code delete,compact}.
         * Refused on other keys with {@link io.weir.common.errors.InvalidConfigurationException}.
         */
        APPEND(2),
        /** Remove the value's comma-separated elements from a list-valued key; refused on other keys as APPEND is. */
        SUBTRACT(3);

        private final byte id;

        OpType(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    /**
     * @throws NullPointerException     if {@code configEntry} or {@code opType} is null
     * @throws IllegalArgumentException if a SET, APPEND or SUBTRACT has no value
     */
    public AlterConfigOp {
        Objects.requireNonNull(configEntry, "configEntry");
        Objects.requireNonNull(opType, "opType");
        if (opType != OpType.DELETE && configEntry.value() == null) {
            throw new IllegalArgumentException(opType + " of " + configEntry.name() + " needs a value, got null");
        }
    }
}
