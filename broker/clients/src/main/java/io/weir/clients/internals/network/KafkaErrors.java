package io.weir.clients.internals.network;

import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InterruptException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.NoOffsetForPartitionException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.RecordDeserializationException;
import io.weir.common.errors.RetriableException;
import io.weir.common.errors.SerializationException;
import io.weir.common.errors.TransactionAbortedException;
import io.weir.common.errors.WakeupException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.Errors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;

/**
 * The one place where kafka-clients' exceptions become Weir's typed ones, with the same meaning. Broker errors
 * ({@link ApiException}s) go through their Kafka error code, which Weir's {@link Errors} shares, so
 * {@code PRODUCER_FENCED} becomes {@link io.weir.common.errors.ProducerFencedException} and so on; exceptions the
 * Kafka client raises itself (wakeup, commit failed, deserialization, reset without a position, illegal state) are
 * matched by class. Kafka's exception is always kept as the cause. A Weir exception (thrown by a Weir serializer or
 * listener inside a Kafka call) passes through unchanged.
 *
 * <p>Stateless and thread-safe.
 */
public final class KafkaErrors {
    private KafkaErrors() {}

    /** Runs a Kafka call, translating what it throws. */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    public static void run(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Weir's exception for {@code t}; never null. */
    public static RuntimeException translate(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof WeirException || e instanceof IllegalArgumentException) {
            return (RuntimeException) e;
        }
        if (e instanceof org.apache.kafka.common.errors.WakeupException) {
            return new WakeupException("Woken up: wakeup() was called during or before this call", e);
        }
        if (e instanceof org.apache.kafka.common.errors.InterruptException) {
            return new InterruptException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.clients.consumer.CommitFailedException) {
            return new CommitFailedException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.common.errors.RecordDeserializationException r) {
            return new RecordDeserializationException(
                    Convert.weir(r.topicPartition()),
                    r.offset(),
                    r.getMessage(),
                    r.getCause() == null ? r : r.getCause());
        }
        if (e instanceof org.apache.kafka.clients.consumer.NoOffsetForPartitionException) {
            return new NoOffsetForPartitionException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.clients.consumer.OffsetOutOfRangeException) {
            return new OffsetOutOfRangeException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.common.errors.TransactionAbortedException) {
            return new TransactionAbortedException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.common.errors.SerializationException) {
            return new SerializationException(e.getMessage(), e);
        }
        if (e instanceof org.apache.kafka.common.config.ConfigException) {
            return new InvalidConfigurationException(e.getMessage(), e);
        }
        if (e instanceof IllegalStateException) {
            return new IllegalClientStateException(e.getMessage(), e);
        }
        if (e instanceof ApiException) {
            short code = org.apache.kafka.common.protocol.Errors.forException(e).code();
            for (Errors weir : Errors.values()) {
                if (weir.code() == code && weir != Errors.NONE && weir != Errors.UNKNOWN_SERVER_ERROR) {
                    WeirException translated = weir.exception(e.getMessage());
                    keepCause(translated, e);
                    return translated;
                }
            }
        }
        if (e instanceof org.apache.kafka.clients.consumer.RetriableCommitFailedException && e.getCause() != null) {
            return translate(e.getCause()); // the retriable error itself, e.g. the coordinator not available
        }
        if (e instanceof org.apache.kafka.common.errors.RetriableException) {
            return new RetriableException(e.getMessage(), e);
        }
        if (e instanceof RuntimeException r && !(e instanceof KafkaException)) {
            return r;
        }
        return new WeirException(
                "The Kafka client failed with " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /**
     * Weir's exception for what the producer threw or failed a send with. Kafka's producer wraps the error that put
     * it in an error state in a plain {@link KafkaException} ("Cannot execute transactional method because we are in
     * an error state") and fails sends of a closing producer with one; both mean the producer cannot go on as it
     * was (the transaction can only be aborted, or the producer must be recreated), which Weir's producer reports as
     * {@link IllegalClientStateException}, with the translated error as the cause, so a caller never mistakes an
     * expired batch's timeout for "call again". Fencing passes through as its own type, as Kafka throws it.
     */
    public static RuntimeException translateProducer(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && (e instanceof ExecutionException || e instanceof CompletionException)) {
            e = e.getCause();
        }
        if (e.getClass() != KafkaException.class) {
            return translate(e);
        }
        RuntimeException cause = e.getCause() == null ? null : translate(e.getCause());
        if (cause instanceof io.weir.common.errors.ProducerFencedException
                || cause instanceof io.weir.common.errors.InvalidProducerEpochException) {
            return cause;
        }
        return new IllegalClientStateException(
                e.getMessage() + (cause == null ? "" : " (" + cause + ")")
                        + "; abort the transaction, or close the producer and create a new one",
                cause == null ? e : cause);
    }

    /**
     * Links Kafka's exception as the cause; some Weir exceptions set theirs (to null) in the constructor, and then
     * it is kept as a suppressed exception instead, so it is never lost.
     */
    private static void keepCause(WeirException translated, Throwable kafka) {
        try {
            translated.initCause(kafka);
        } catch (IllegalStateException causeAlreadySet) {
            translated.addSuppressed(kafka);
        }
    }

    /**
     * Strips the wrappers that carry no meaning of their own: the futures' execution exceptions and Kafka's plain
     * {@link KafkaException} around a more precise one (the producer wraps a transaction's fatal error that way,
     * the consumer an exception thrown by a rebalance listener).
     */
    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null
                && (e instanceof ExecutionException
                        || e instanceof CompletionException
                        || e.getClass() == KafkaException.class)) {
            e = e.getCause();
        }
        return e;
    }
}
