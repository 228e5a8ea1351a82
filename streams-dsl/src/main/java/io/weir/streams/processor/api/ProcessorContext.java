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
 * What a {@link Processor} sees of its task: where to forward, the clocks, punctuations, and where the record
 * being processed came from. Used on the task's thread only.
 *
 * @param <KForward> key type of the records the processor forwards
 * @param <VForward> value type of the records the processor forwards
 */
public interface ProcessorContext<KForward, VForward> {

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

    /** Hands {@code record} to every child of this processor, one after the other, before returning. */
    <K extends KForward, V extends VForward> void forward(Record<K, V> record);

    /**
     * Hands {@code record} to the named child only.
     *
     * @throws io.weir.streams.errors.StreamsException if this processor has no child of that name
     */
    <K extends KForward, V extends VForward> void forward(Record<K, V> record, String childName);

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
