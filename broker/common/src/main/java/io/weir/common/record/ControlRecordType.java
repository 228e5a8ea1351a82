package io.weir.common.record;

import io.weir.common.errors.CorruptRecordException;

/**
 * The kind of transaction marker a control batch carries, stored as the {@code type} int16 of the control
 * record's key ({@code version:int16, type:int16}). Ids are Kafka's; Kafka's other control types (leader
 * change, snapshot markers) belong to its Raft log and never appear in a Weir partition.
 */
public enum ControlRecordType {
    ABORT((short) 0),
    COMMIT((short) 1);

    /** Version of the control record key schema we write; readers accept any non-negative version. */
    static final short CURRENT_KEY_VERSION = 0;
    /** Version of the end-transaction marker value schema ({@code version:int16, coordinatorEpoch:int32}). */
    static final short CURRENT_VALUE_VERSION = 0;

    static final int KEY_SIZE = 4;
    static final int VALUE_SIZE = 6;

    private final short id;

    ControlRecordType(short id) {
        this.id = id;
    }

    public short id() {
        return id;
    }

    /**
     * @throws CorruptRecordException if {@code id} names no transaction marker
     */
    public static ControlRecordType forId(short id) {
        return switch (id) {
            case 0 -> ABORT;
            case 1 -> COMMIT;
            default -> throw new CorruptRecordException(
                    "unknown control record type " + id + "; known: 0=ABORT, 1=COMMIT");
        };
    }
}
