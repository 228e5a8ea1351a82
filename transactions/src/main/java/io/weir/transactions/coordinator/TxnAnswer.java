package io.weir.transactions.coordinator;

import java.util.Objects;

/**
 * The coordinator's answer to AddPartitionsToTxn, AddOffsetsToTxn, EndTxn or a transactional offset write.
 *
 * @param message why, naming the transactional id, producer ids, epochs and states involved; null on success
 */
public record TxnAnswer(TxnError error, String message) {
    public static final TxnAnswer OK = new TxnAnswer(TxnError.NONE, null);

    public TxnAnswer {
        Objects.requireNonNull(error, "error");
    }

    public boolean isSuccess() {
        return error == TxnError.NONE;
    }
}
