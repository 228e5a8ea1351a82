package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.Cancellable;
import io.weir.streams.processor.PunctuationType;
import io.weir.streams.processor.Punctuator;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.TaskId;
import io.weir.streams.processor.api.FixedKeyProcessor;
import io.weir.streams.processor.api.FixedKeyProcessorContext;
import io.weir.streams.processor.api.FixedKeyRecord;
import io.weir.streams.processor.api.InternalFixedKeyRecordFactory;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.api.RecordMetadata;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Runs a {@link FixedKeyProcessor} as a node of the topology: its records keep their keys by construction. */
final class FixedKeyProcessorAdapter<K, V, VOut> implements Processor<K, V, K, VOut> {
    private final FixedKeyProcessor<K, V, VOut> processor;

    FixedKeyProcessorAdapter(FixedKeyProcessor<K, V, VOut> processor) {
        this.processor = processor;
    }

    @Override
    public void init(ProcessorContext<K, VOut> context) {
        processor.init(new Context<>(context));
    }

    @Override
    public void process(Record<K, V> record) {
        processor.process(InternalFixedKeyRecordFactory.create(record));
    }

    @Override
    public void close() {
        processor.close();
    }

    private record Context<K, VOut>(ProcessorContext<K, VOut> inner) implements FixedKeyProcessorContext<K, VOut> {
        @Override
        public <K1 extends K, V1 extends VOut> void forward(FixedKeyRecord<K1, V1> record) {
            inner.forward(new Record<>(record.key(), record.value(), record.timestamp(), record.headers()));
        }

        @Override
        public <K1 extends K, V1 extends VOut> void forward(FixedKeyRecord<K1, V1> record, String childName) {
            inner.forward(new Record<>(record.key(), record.value(), record.timestamp(), record.headers()), childName);
        }

        @Override
        public String applicationId() {
            return inner.applicationId();
        }

        @Override
        public TaskId taskId() {
            return inner.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return inner.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return inner.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return inner.valueSerde();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return inner.appConfigs();
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            return inner.schedule(interval, type, callback);
        }

        @Override
        public <S extends StateStore> S getStateStore(String name) {
            return inner.getStateStore(name);
        }

        @Override
        public void commit() {
            inner.commit();
        }

        @Override
        public long currentStreamTimeMs() {
            return inner.currentStreamTimeMs();
        }

        @Override
        public long currentSystemTimeMs() {
            return inner.currentSystemTimeMs();
        }
    }
}
