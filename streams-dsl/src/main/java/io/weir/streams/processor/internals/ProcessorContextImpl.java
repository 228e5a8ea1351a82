package io.weir.streams.processor.internals;

import io.weir.common.record.Header;
import io.weir.common.serialization.Serde;
import io.weir.common.utils.Time;
import io.weir.streams.StreamsConfig;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.Cancellable;
import io.weir.streams.processor.PunctuationType;
import io.weir.streams.processor.Punctuator;
import io.weir.streams.processor.RecordContext;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.TaskId;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.api.RecordMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one context of a task, shared by its processors: it knows which node is running (so that {@code forward}
 * reaches that node's children) and which input record is being processed. Used by the task's thread only.
 */
final class ProcessorContextImpl implements ProcessorContext<Object, Object> {
    /** The input record's origin; absent in a punctuation. */
    record Origin(String topic, int partition, long offset, long timestamp, List<Header> headers)
            implements RecordMetadata, RecordContext {}

    private static final Origin PUNCTUATION = new Origin(null, -1, -1L, -1L, List.of());

    private final StreamsConfig config;
    private final TaskId taskId;
    private final RecordCollector collector;
    private final Time time;
    private final StreamTask task;
    private Serde<?> keySerde;
    private Serde<?> valueSerde;
    private ProcessorNode current;
    private Origin origin = PUNCTUATION;

    ProcessorContextImpl(StreamsConfig config, TaskId taskId, RecordCollector collector, Time time, StreamTask task) {
        this.config = config;
        this.taskId = taskId;
        this.collector = collector;
        this.time = time;
        this.task = task;
    }

    void setCurrentNode(ProcessorNode node) {
        this.current = node;
    }

    ProcessorNode currentNode() {
        return current;
    }

    void setOrigin(Origin origin) {
        this.origin = origin == null ? PUNCTUATION : origin;
    }

    RecordContext recordContext() {
        return origin;
    }

    StreamTask task() {
        return task;
    }

    /** The input record's origin, or null in a punctuation. */
    Origin origin() {
        return origin == PUNCTUATION ? null : origin;
    }

    RecordCollector collector() {
        return collector;
    }

    @Override
    public String applicationId() {
        return config.applicationId();
    }

    @Override
    public TaskId taskId() {
        return taskId;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return origin == PUNCTUATION ? Optional.empty() : Optional.of(origin);
    }

    @Override
    public Serde<?> keySerde() {
        if (keySerde == null) {
            keySerde = config.defaultKeySerde();
        }
        return keySerde;
    }

    @Override
    public Serde<?> valueSerde() {
        if (valueSerde == null) {
            valueSerde = config.defaultValueSerde();
        }
        return valueSerde;
    }

    @Override
    public Map<String, Object> appConfigs() {
        return config.originals();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> void forward(Record<K, V> record) {
        ProcessorNode from = current;
        try {
            for (ProcessorNode child : from.children()) {
                current = child;
                runChild(child, (Record<Object, Object>) record);
            }
        } finally {
            current = from;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> void forward(Record<K, V> record, String childName) {
        ProcessorNode from = current;
        ProcessorNode child = from.child(childName);
        if (child == null) {
            throw new StreamsException("Processor " + from.name() + " has no child named " + childName
                    + "; its children are " + from.children());
        }
        try {
            current = child;
            runChild(child, (Record<Object, Object>) record);
        } finally {
            current = from;
        }
    }

    /**
     * Forwards {@code record} to the children of {@code node}, whatever node is current: for what a store's cache
     * hands back when it flushes, which happens outside that node's {@code process} (at a commit, or during another
     * node's write that evicts it). The record has no input record of its own.
     */
    <K, V> void forwardFrom(ProcessorNode node, Record<K, V> record) {
        ProcessorNode previous = current;
        Origin previousOrigin = origin;
        current = node;
        origin = PUNCTUATION;
        try {
            forward(record);
        } finally {
            current = previous;
            origin = previousOrigin;
        }
    }

    /** Runs a child; a failure of its own user code is named after it, before the stack unwinds past it. */
    private void runChild(ProcessorNode child, Record<Object, Object> record) {
        try {
            child.process(record);
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            Origin where = origin == PUNCTUATION ? null : origin;
            if (!task.continueAfter(child, where, record, e)) {
                throw task.failure(child, where, e);
            }
        }
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        return task.schedule(current, interval, type, callback);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        return (S) task.store(current, name);
    }

    @Override
    public void commit() {
        task.requestCommit();
    }

    @Override
    public long currentStreamTimeMs() {
        return task.streamTime();
    }

    @Override
    public long currentSystemTimeMs() {
        return time.milliseconds();
    }
}
