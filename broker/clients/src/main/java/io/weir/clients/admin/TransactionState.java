package io.weir.clients.admin;

/**
 * The state of a transactional id at its coordinator, as {@link Admin#listTransactions} and
 * {@link Admin#describeTransactions} report it, with Kafka's names. {@link #UNKNOWN} stands for a name this
 * client does not know, so a newer broker's state never fails a call.
 */
public enum TransactionState {
    ONGOING("Ongoing"),
    PREPARE_ABORT("PrepareAbort"),
    PREPARE_COMMIT("PrepareCommit"),
    COMPLETE_ABORT("CompleteAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    EMPTY("Empty"),
    PREPARE_EPOCH_FENCE("PrepareEpochFence"),
    UNKNOWN("Unknown");

    private final String displayName;

    TransactionState(String displayName) {
        this.displayName = displayName;
    }

    /** The state for a broker's name ({@code "Ongoing"}, ...); {@link #UNKNOWN} for any other. */
    public static TransactionState parse(String name) {
        for (TransactionState state : values()) {
            if (state.displayName.equals(name)) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /** Kafka's name, as {@code kafka-transactions.sh} prints it. */
    @Override
    public String toString() {
        return displayName;
    }
}
