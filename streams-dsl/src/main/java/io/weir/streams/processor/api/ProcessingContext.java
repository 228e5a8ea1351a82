package io.weir.streams.processor.api;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.Cancellable;
import io.weir.streams.processor.PunctuationType;
import io.weir.streams.processor.Punctuator;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.TaskId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What every processor sees of its task, whatever it forwards (Kafka Streams' {@code ProcessingContext}): the
 * clocks, punctuations, stores, and where the record being processed came from. Used on the task's thread only.
 */
public interface ProcessingContext {

    String applicationId();

    TaskId taskId();

    /** The topic, partition and offset of the input record being processed; empty in a punctuation. */
    Optional<RecordMetadata> recordMetadata();

    /** The application's {@code default.key.serde}. */
    Serde<?> keySerde();

    /** The application's {@code default.value.serde}. */
    Serde<?> valueSerde();

    /** The application's configuration, as given. */
    Map<String, Object> appConfigs();

    /**
     * Calls {@code callback} every {@code interval} of the given clock, on the task's thread, between records.
     * A stream-time punctuation fires when records move stream time past its next due time; a wall-clock one
     * when the application's clock does.
     *
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms
     */
    Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback);

    /**
     * The named store, which must have been connected to this processor ({@code Topology.addStateStore} or the
     * DSL's stores of the operator).
     *
     * @throws io.weir.streams.errors.StreamsException if the store does not exist or is not connected to this processor
     */
    <S extends StateStore> S getStateStore(String name);

    /** Asks the runtime to commit this task soon, rather than at the next {@code commit.interval.ms}. */
    void commit();

    /** The largest record timestamp this task has seen, or -1 before the first. */
    long currentStreamTimeMs();

    /** The application clock's wall-clock time. */
    long currentSystemTimeMs();
}
