package io.weir.streams.kstream.internals;

import io.weir.streams.KeyValue;
import io.weir.streams.kstream.Aggregator;
import io.weir.streams.kstream.Initializer;
import io.weir.streams.kstream.Merger;
import io.weir.streams.kstream.SessionWindow;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.SessionStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session aggregation, as Kafka Streams' {@code KStreamSessionWindowAggregate}: a record at {@code t} joins every
 * session of its key that ends at or after {@code t - gap} and starts at or before {@code t + gap}; those sessions
 * are removed and replaced by one session spanning them all and the record, whose aggregate is theirs merged (by the
 * {@link Merger}) and the record folded in. The processor keeps its own stream time; a record whose merged session
 * would end before stream time minus the grace and the gap is dropped and counted.
 *
 * <p>Forwarding: with a caching store, at each flush (a removed session as a delete, the new one as an update);
 * without, each removal and the new session as they happen.
 */
final class KStreamSessionWindowAggregate<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamSessionWindowAggregate.class);

    private final String name;
    private final String storeName;
    private final SessionWindows windows;
    private final Initializer<VA> initializer;
    private final Aggregator<? super K, ? super V, VA> aggregator;
    private final Merger<? super K, VA> merger;
    private ProcessorContext<Windowed<K>, Change<VA>> context;
    private SessionStore<K, VA> store;
    private boolean forwardsOnFlush;
    private long observedStreamTime = -1L;

    KStreamSessionWindowAggregate(
            String name,
            String storeName,
            SessionWindows windows,
            Initializer<VA> initializer,
            Aggregator<? super K, ? super V, VA> aggregator,
            Merger<? super K, VA> merger) {
        this.name = name;
        this.storeName = storeName;
        this.windows = windows;
        this.initializer = initializer;
        this.aggregator = aggregator;
        this.merger = merger;
    }

    @Override
    public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onSessionFlush(store, context);
    }

    @Override
    public void process(Record<K, V> record) {
        if (record.key() == null || record.value() == null) {
            LOG.warn("{} skipped a record with a null {}", name, record.key() == null ? "key" : "value");
            DroppedRecords.record(context);
            return;
        }
        long timestamp = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        long closeTime = observedStreamTime - windows.gracePeriodMs() - windows.inactivityGap();
        long gap = windows.inactivityGap();
        List<KeyValue<Windowed<K>, VA>> merged = new ArrayList<>();
        SessionWindow newWindow = new SessionWindow(timestamp, timestamp);
        long start = timestamp;
        long end = timestamp;
        VA aggregate = initializer.apply();
        try (KeyValueIterator<Windowed<K>, VA> it =
                store.findSessions(record.key(), timestamp - gap, timestamp + gap)) {
            while (it.hasNext()) {
                KeyValue<Windowed<K>, VA> session = it.next();
                merged.add(session);
                aggregate = merger.apply(record.key(), aggregate, session.value());
                start = Math.min(start, session.key().window().start());
                end = Math.max(end, session.key().window().end());
            }
        }
        SessionWindow mergedWindow = new SessionWindow(start, end);
        if (mergedWindow.end() < closeTime) {
            LOG.debug(
                    "{} skipped a record for the closed session [{}, {}]: stream time {} minus grace {} and gap {}",
                    name,
                    start,
                    end,
                    observedStreamTime,
                    windows.gracePeriodMs(),
                    gap);
            DroppedRecords.record(context);
            return;
        }
        if (!mergedWindow.equals(newWindow)) {
            for (KeyValue<Windowed<K>, VA> session : merged) {
                store.remove(session.key());
                if (!forwardsOnFlush) {
                    context.forward(new Record<>(
                            session.key(),
                            new Change<>(null, session.value()),
                            session.key().window().end()));
                }
            }
        }
        aggregate = aggregator.apply(record.key(), record.value(), aggregate);
        Windowed<K> sessionKey = new Windowed<>(record.key(), mergedWindow);
        store.put(sessionKey, aggregate);
        if (!forwardsOnFlush) {
            context.forward(new Record<>(sessionKey, new Change<>(aggregate, null), mergedWindow.end()));
        }
    }
}
