package io.weir.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.InvalidTxnStateException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.PolicyViolationException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker's typed exceptions cross to a client as code and message; the fields stay on the broker's side. */
class ApiErrorTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @Test
    void typedExceptionsKeepTheirErrorCodeAndMessageAcrossTheBoundary() {
        List<WeirException> thrown = List.of(
                new OutOfOrderSequenceException(TP, "a batch", 7L, (short) 2, 3, 5),
                new InvalidProducerEpochException(TP, "a batch", 7L, (short) 2, (short) 1),
                new UnknownProducerIdException(TP, "a batch", 7L, 9),
                new InvalidTxnStateException(TP, "a batch", 7L, 40L),
                new OffsetOutOfRangeException(TP, 5L, 0L, 2L),
                new OffsetOutOfRangeException("Cannot delete the records of orders-3 before offset 9", TP, 9L, 0L, 2L),
                new PolicyViolationException("Records of orders-3 cannot be deleted: its cleanup.policy is compact"),
                new RecordTooLargeException(TP, 2_000, 1_000),
                UnknownTopicOrPartitionException.unknownTopic("orders"),
                UnknownTopicOrPartitionException.unknownPartition(TP, 2));
        List<Errors> codes = List.of(
                Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                Errors.INVALID_PRODUCER_EPOCH,
                Errors.UNKNOWN_PRODUCER_ID,
                Errors.INVALID_TXN_STATE,
                Errors.OFFSET_OUT_OF_RANGE,
                Errors.OFFSET_OUT_OF_RANGE,
                Errors.POLICY_VIOLATION,
                Errors.MESSAGE_TOO_LARGE,
                Errors.UNKNOWN_TOPIC_OR_PARTITION,
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
        for (int i = 0; i < thrown.size(); i++) {
            WeirException e = thrown.get(i);
            ApiError error = ApiError.of(e);
            assertEquals(codes.get(i), error.error(), e.getClass().getSimpleName());
            WeirException rebuilt = error.exception();
            assertEquals(e.getClass(), rebuilt.getClass());
            assertEquals(e.getMessage(), rebuilt.getMessage());
        }
    }

    @Test
    void anExceptionRebuiltFromTheCodeHasNoFields() {
        OutOfOrderSequenceException rebuilt = assertInstanceOf(
                OutOfOrderSequenceException.class,
                ApiError.of(new OutOfOrderSequenceException(TP, "a batch", 7L, (short) 2, 3, 5))
                        .exception());
        assertNull(rebuilt.topicPartition());
        assertEquals(-1L, rebuilt.producerId());
        assertEquals(-1, rebuilt.expectedSequence());
        assertEquals(-1, rebuilt.receivedSequence());
    }
}
