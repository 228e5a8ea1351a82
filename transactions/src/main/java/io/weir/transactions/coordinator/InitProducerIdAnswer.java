package io.weir.transactions.coordinator;

import java.util.Objects;

/** The answer to InitProducerId: the producer id and epoch to use, or the error with ids -1. */
public record InitProducerIdAnswer(TxnError error, String message, long producerId, short producerEpoch) {
    public InitProducerIdAnswer {
        Objects.requireNonNull(error, "error");
    }

    static InitProducerIdAnswer of(TransactionMetadata granted) {
        return new InitProducerIdAnswer(TxnError.NONE, null, granted.producerId(), granted.producerEpoch());
    }

    static InitProducerIdAnswer failed(TxnAnswer why) {
        return new InitProducerIdAnswer(why.error(), why.message(), -1L, (short) -1);
    }

    public boolean isSuccess() {
        return error == TxnError.NONE;
    }
}
