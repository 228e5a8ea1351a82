package io.weir.broker.protocol;

import io.weir.broker.errors.CoordinatorNotAvailableException;
import io.weir.broker.errors.CoordinatorLoadInProgressException;
import io.weir.broker.errors.OutOfOrderSequenceException;
import io.weir.broker.errors.DuplicateSequenceException;
import io.weir.broker.errors.InvalidProducerEpochException;
import io.weir.broker.errors.InvalidTxnStateException;
import io.weir.broker.errors.InvalidPidMappingException;
import io.weir.broker.errors.InvalidTxnTimeoutException;
import io.weir.broker.errors.ConcurrentTransactionsException;
import io.weir.broker.errors.TransactionCoordinatorFencedException;
import io.weir.broker.errors.UnknownProducerIdException;
import io.weir.broker.errors.ProducerFencedException;
import io.weir.broker.errors.TransactionalIdNotFoundException;
import io.weir.broker.errors.OperationNotAttemptedException;
import io.weir.broker.errors.CorruptRecordException;
import io.weir.broker.errors.FencedInstanceIdException;
import io.weir.broker.errors.GroupIdNotFoundException;
import io.weir.broker.errors.GroupMaxSizeReachedException;
import io.weir.broker.errors.GroupNotEmptyException;
import io.weir.broker.errors.IllegalGenerationException;
import io.weir.broker.errors.InconsistentGroupProtocolException;
import io.weir.broker.errors.InvalidGroupIdException;
import io.weir.broker.errors.InvalidSessionTimeoutException;
import io.weir.broker.errors.OffsetMetadataTooLargeException;
import io.weir.broker.errors.RebalanceInProgressException;
import io.weir.broker.errors.UnknownMemberIdException;
import io.weir.broker.errors.InvalidConfigurationException;
import io.weir.broker.errors.InvalidPartitionsException;
import io.weir.broker.errors.InvalidRecordException;
import io.weir.broker.errors.InvalidRequestException;
import io.weir.broker.errors.InvalidTimestampException;
import io.weir.broker.errors.InvalidTopicException;
import io.weir.broker.errors.KafkaStorageException;
import io.weir.broker.errors.OffsetOutOfRangeException;
import io.weir.broker.errors.RecordTooLargeException;
import io.weir.broker.errors.TimeoutException;
import io.weir.broker.errors.TopicExistsException;
import io.weir.broker.errors.UnknownServerException;
import io.weir.broker.errors.UnknownTopicOrPartitionException;
import io.weir.broker.errors.UnstableOffsetCommitException;
import io.weir.broker.errors.WeirException;
import java.util.function.Function;

/**
 * The error codes a broker returns, per partition or per request, with Kafka's numeric codes so a future
 * Kafka-protocol transport can send them unchanged. Each maps back to the typed exception a client throws;
 * the broker's message travels with the code so the exception still names the topic, offset or value.
 */
public enum Errors {
    NONE(0, null),
    UNKNOWN_SERVER_ERROR(-1, UnknownServerException::new),
    OFFSET_OUT_OF_RANGE(1, OffsetOutOfRangeException::new),
    CORRUPT_MESSAGE(2, CorruptRecordException::new),
    UNKNOWN_TOPIC_OR_PARTITION(3, UnknownTopicOrPartitionException::new),
    REQUEST_TIMED_OUT(7, TimeoutException::new),
    MESSAGE_TOO_LARGE(10, RecordTooLargeException::new),
    INVALID_TOPIC_EXCEPTION(17, InvalidTopicException::new),
    INVALID_REQUIRED_ACKS(21, InvalidRequestException::new),
    INVALID_TIMESTAMP(32, InvalidTimestampException::new),
    TOPIC_ALREADY_EXISTS(36, TopicExistsException::new),
    INVALID_PARTITIONS(37, InvalidPartitionsException::new),
    INVALID_REQUEST(42, InvalidRequestException::new),
    INVALID_CONFIG(40, InvalidConfigurationException::new),
    KAFKA_STORAGE_ERROR(56, KafkaStorageException::new),
    OFFSET_METADATA_TOO_LARGE(12, OffsetMetadataTooLargeException::new),
    COORDINATOR_NOT_AVAILABLE(15, CoordinatorNotAvailableException::new),
    ILLEGAL_GENERATION(22, IllegalGenerationException::new),
    INCONSISTENT_GROUP_PROTOCOL(23, InconsistentGroupProtocolException::new),
    INVALID_GROUP_ID(24, InvalidGroupIdException::new),
    UNKNOWN_MEMBER_ID(25, UnknownMemberIdException::new),
    INVALID_SESSION_TIMEOUT(26, InvalidSessionTimeoutException::new),
    REBALANCE_IN_PROGRESS(27, RebalanceInProgressException::new),
    NON_EMPTY_GROUP(68, GroupNotEmptyException::new),
    GROUP_ID_NOT_FOUND(69, GroupIdNotFoundException::new),
    GROUP_MAX_SIZE_REACHED(81, GroupMaxSizeReachedException::new),
    FENCED_INSTANCE_ID(82, FencedInstanceIdException::new),
    COORDINATOR_LOAD_IN_PROGRESS(14, CoordinatorLoadInProgressException::new),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, OutOfOrderSequenceException::new),
    DUPLICATE_SEQUENCE_NUMBER(46, DuplicateSequenceException::new),
    INVALID_PRODUCER_EPOCH(47, InvalidProducerEpochException::new),
    INVALID_TXN_STATE(48, InvalidTxnStateException::new),
    INVALID_PRODUCER_ID_MAPPING(49, InvalidPidMappingException::new),
    INVALID_TRANSACTION_TIMEOUT(50, InvalidTxnTimeoutException::new),
    CONCURRENT_TRANSACTIONS(51, ConcurrentTransactionsException::new),
    TRANSACTION_COORDINATOR_FENCED(52, TransactionCoordinatorFencedException::new),
    OPERATION_NOT_ATTEMPTED(55, OperationNotAttemptedException::new),
    UNKNOWN_PRODUCER_ID(59, UnknownProducerIdException::new),
    PRODUCER_FENCED(90, ProducerFencedException::new),
    TRANSACTIONAL_ID_NOT_FOUND(105, TransactionalIdNotFoundException::new),
    UNSTABLE_OFFSET_COMMIT(88, UnstableOffsetCommitException::new),
    INVALID_RECORD(87, InvalidRecordException::new);

    private final short code;
    private final Function<String, WeirException> builder;
    private final Class<?> type;

    Errors(int code, Function<String, WeirException> builder) {
        this.code = (short) code;
        this.builder = builder;
        this.type = builder == null ? null : builder.apply("").getClass();
    }

    public short code() {
        return code;
    }

    /** The exception a client raises for this error; {@code message} is the broker's explanation. */
    public WeirException exception(String message) {
        if (builder == null) {
            throw new IllegalStateException("NONE is not an error");
        }
        return builder.apply(message == null ? name() : message);
    }

    /** The error code for an exception the broker caught while serving a request. */
    public static Errors forException(Throwable t) {
        if (t instanceof UnknownTopicOrPartitionException) return UNKNOWN_TOPIC_OR_PARTITION;
        if (t instanceof RecordTooLargeException) return MESSAGE_TOO_LARGE;
        if (t instanceof CorruptRecordException) return CORRUPT_MESSAGE;
        if (t instanceof InvalidTopicException) return INVALID_TOPIC_EXCEPTION;
        if (t instanceof InvalidTimestampException) return INVALID_TIMESTAMP;
        if (t instanceof TopicExistsException) return TOPIC_ALREADY_EXISTS;
        if (t instanceof InvalidPartitionsException) return INVALID_PARTITIONS;
        if (t instanceof OffsetOutOfRangeException) return OFFSET_OUT_OF_RANGE;
        if (t instanceof InvalidConfigurationException) return INVALID_CONFIG;
        if (t instanceof InvalidRequestException) return INVALID_REQUEST;
        if (t instanceof TimeoutException) return REQUEST_TIMED_OUT;
        if (t instanceof KafkaStorageException) return KAFKA_STORAGE_ERROR;
        for (Errors e : values()) {
            if (e.builder != null && e.ordinal() > KAFKA_STORAGE_ERROR.ordinal() && e.type.isInstance(t)) {
                return e;
            }
        }
        return UNKNOWN_SERVER_ERROR;
    }
}
