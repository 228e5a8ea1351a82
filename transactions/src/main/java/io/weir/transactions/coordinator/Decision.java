package io.weir.transactions.coordinator;

/**
 * What {@link TransitionRules} decide for one call, computed without side effects: answer at once and change
 * nothing ({@link Reply}), or move the id to a new state once the log has it ({@link Transition}).
 */
sealed interface Decision permits Decision.Reply, Decision.Transition {

    /** Answer now; nothing changes. */
    record Reply(TxnAnswer answer) implements Decision {}

    /**
     * The pending change: {@code to} becomes the id's state once it is durable in the transaction log, and
     * is dropped if the write fails.
     *
     * @param from the id's state the decision was computed from, null for a new id
     * @param via  {@link TransactionState#PREPARE_EPOCH_FENCE} when an Ongoing transaction is fenced (the
     *             state passed through on the way to PrepareAbort, never written), else null
     * @throws IllegalStateException naming both states if the table of {@link TransactionState} forbids a step
     */
    record Transition(TransactionMetadata from, TransactionMetadata to, TransactionState via) implements Decision {
        public Transition {
            String id = to.transactionalId();
            if (from == null) {
                if (to.state() != TransactionState.EMPTY) {
                    throw new IllegalStateException("Transactional id " + id + " is new and must start in Empty, not "
                            + to.state().displayName());
                }
            } else if (via != null) {
                TransactionState.checkTransition(id, from.state(), via);
                TransactionState.checkTransition(id, via, to.state());
            } else {
                TransactionState.checkTransition(id, from.state(), to.state());
            }
        }
    }
}
