package io.weir.common.protocol;

import io.weir.common.errors.ConcurrentTransactionsException;
import io.weir.common.errors.CoordinatorLoadInProgressException;
import io.weir.common.errors.CoordinatorNotAvailableException;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.DuplicateSequenceException;
import io.weir.common.errors.FencedInstanceIdException;
import io.weir.common.errors.GroupIdNotFoundException;
import io.weir.common.errors.GroupMaxSizeReachedException;
import io.weir.common.errors.GroupNotEmptyException;
import io.weir.common.errors.GroupSubscribedToTopicException;
import io.weir.common.errors.IllegalGenerationException;
import io.weir.common.errors.InconsistentGroupProtocolException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidGroupIdException;
import io.weir.common.errors.InvalidPartitionsException;
import io.weir.common.errors.InvalidPidMappingException;
import io.weir.common.errors.InvalidProducerEpochException;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.InvalidRequestException;
import io.weir.common.errors.InvalidSessionTimeoutException;
import io.weir.common.errors.InvalidTimestampException;
import io.weir.common.errors.InvalidTopicException;
import io.weir.common.errors.InvalidTxnStateException;
import io.weir.common.errors.InvalidTxnTimeoutException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.MemberIdRequiredException;
import io.weir.common.errors.OffsetMetadataTooLargeException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.OperationNotAttemptedException;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.PolicyViolationException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.RebalanceInProgressException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.TransactionCoordinatorFencedException;
import io.weir.common.errors.TransactionalIdNotFoundException;
import io.weir.common.errors.UnknownMemberIdException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.UnstableOffsetCommitException;
import io.weir.common.errors.WeirException;
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
    GROUP_SUBSCRIBED_TO_TOPIC(86, GroupSubscribedToTopicException::new),
    MEMBER_ID_REQUIRED(79, MemberIdRequiredException::new),
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
    INVALID_RECORD(87, InvalidRecordException::new),
    POLICY_VIOLATION(44, PolicyViolationException::new);

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
