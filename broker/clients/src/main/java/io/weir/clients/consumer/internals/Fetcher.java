package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.internals.Futures;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.OffsetOutOfRangeException;
import io.weir.common.errors.RecordDeserializationException;
import io.weir.common.errors.SerializationException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.record.RecordCursor;
import io.weir.common.serialization.Deserializer;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The consumer's fetching: builds fetch requests from the {@link SubscriptionState}, turns each answer into
 * per-partition {@link CompletedFetch} buffers, resets positions the broker reports out of range, and hands
 * buffered records out as {@link ConsumerRecords}.
 *
 * <p>Several fetches may be in flight, on disjoint sets of partitions: a partition whose buffer runs dry
 * while a long poll waits on caught-up partitions gets a fetch of its own at once, instead of waiting up to
 * {@code fetch.max.wait.ms} for the long poll to end (that wait once cost half a second at the tail of every
 * read of several partitions).
 *
 * <p>Invariants: a partition is fetched only when nothing of it is buffered or in flight, and an answer is buffered only
 * if the partition's position still equals the offset the request asked for, so an answer that raced a seek,
 * a reset or an unassignment is dropped. Positions move only as records are handed out (or skipped as control
 * or aborted data), never past a record that failed to read or deserialize.
 *
 * <p><b>Read buffers.</b> With deserializers that copy what they read (the default {@code deserialize(String,
 * ByteBuffer)}), an in-process broker reads each fetch into arrays lent from a {@link ReadBufferPool}; an answer's
 * arrays are claimed into its {@link CompletedFetch}es and go back when those are used up or dropped. Records handed
 * out never reference them: keys and values are copies, headers are read into arrays of their own.
 *
 * <p><b>Threading.</b> Confined to the thread holding the consumer (ConsumerImpl's acquire/release), except
 * {@code onAnswer}, which the transport's thread runs when an answer arrives, to wake a blocked poll.
 */
final class Fetcher<K, V> {

    /** The fetch awaiting its answer, the offsets it asked for, and the read buffers lent for it (or null). */
    private record InFlightFetch(
            CompletableFuture<FetchResponse> future,
            Map<TopicPartition, Long> offsets,
            long sentNanos,
            ReadBufferPool.Lease lease) {}

    private final ConsumerConfig config;
    private final BrokerApi broker;
    private final Time time;
    private final SubscriptionState subscriptions;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Runnable onAnswer;
    /** Null when a deserializer may keep a view of the bytes it is given: then every fetch reads into fresh memory. */
    private final ReadBufferPool readBuffers;
    /** Whether the key or value deserializer copies the bytes (see {@link #copiesBytes}): then it is handed a copy. */
    private final boolean keyCopies;

    private final boolean valueCopies;

    private final ArrayDeque<CompletedFetch> completed = new ArrayDeque<>();
    private final List<InFlightFetch> inFlight = new ArrayList<>();
    private long noFetchBeforeNanos;

    /** @param onAnswer run on the transport's thread when a fetch is answered; must be quick and thread-safe */
    Fetcher(
            ConsumerConfig config,
            BrokerApi broker,
            Time time,
            SubscriptionState subscriptions,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            Runnable onAnswer) {
        this.config = config;
        this.broker = broker;
        this.time = time;
        this.subscriptions = subscriptions;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.onAnswer = onAnswer;
        this.keyCopies = copiesBytes(keyDeserializer);
        this.valueCopies = copiesBytes(valueDeserializer);
        this.readBuffers = keyCopies && valueCopies
                ? ReadBufferPool.forConsumer(config.fetchMaxBytes(), config.maxPartitionFetchBytes())
                : null;
    }

    /**
     * Whether the deserializer's records can never hold a view of the fetched bytes: it does not override
     * {@link Deserializer#deserialize(String, ByteBuffer)}, whose default copies the bytes into an array of their own.
     * Only then may a read buffer be reused once its records are converted.
     */
    static boolean copiesBytes(Deserializer<?> deserializer) {
        try {
            return deserializer
                            .getClass()
                            .getMethod("deserialize", String.class, ByteBuffer.class)
                            .getDeclaringClass()
                    == Deserializer.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Whether fetches read into pooled buffers (tests). */
    boolean poolsReadBuffers() {
        return readBuffers != null;
    }

    /** Read buffers given back and free for the next fetch (tests). */
    int freeReadBuffers() {
        return readBuffers == null ? 0 : readBuffers.freeArrays();
    }

    /** Completes when any in-flight fetch is answered; null when none is in flight. */
    CompletableFuture<?> pendingAnswer() {
        if (inFlight.isEmpty()) {
            return null;
        }
        if (inFlight.size() == 1) {
            return inFlight.get(0).future();
        }
        return CompletableFuture.anyOf(
                inFlight.stream().map(InFlightFetch::future).toArray(CompletableFuture[]::new));
    }

    /**
     * Until when a poll with nothing to return should wait: the in-flight fetch's request timeout, or, with
     * nothing in flight (everything paused, or backing off after an error), the end of the backoff.
     */
    long waitUntilNanos() {
        if (inFlight.isEmpty()) {
            return Math.max(noFetchBeforeNanos, time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(1));
        }
        long oldest = Long.MAX_VALUE;
        for (InFlightFetch f : inFlight) {
            oldest = Math.min(oldest, f.sentNanos());
        }
        return oldest + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
    }

    /** Forgets what is buffered for {@code partition}: its position changed. */
    void dropBuffered(TopicPartition partition) {
        drop(f -> f.partition.equals(partition));
    }

    /** Forgets what is buffered for partitions no longer assigned. */
    void dropUnassigned() {
        drop(f -> !subscriptions.isAssigned(f.partition));
    }

    /** Forgets the in-flight fetch and everything buffered. */
    void clear() {
        inFlight.clear(); // their lent buffers are never claimed: the broker may still write them
        drop(f -> true);
    }

    private void drop(Predicate<CompletedFetch> which) {
        for (Iterator<CompletedFetch> it = completed.iterator(); it.hasNext(); ) {
            CompletedFetch f = it.next();
            if (which.test(f)) {
                it.remove();
                f.release();
            }
        }
    }

    /** Sends a fetch for the fetchable partitions with nothing buffered or in flight, unless backing off. */
    void sendFetchIfNeeded() {
        if (time.nanoseconds() < noFetchBeforeNanos) {
            return;
        }
        Map<TopicPartition, FetchRequest.PartitionFetch> partitions = new LinkedHashMap<>();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : subscriptions.fetchable()) {
            if (hasBuffered(tp) || isInFlight(tp)) {
                continue;
            }
            long position = subscriptions.state(tp).position;
            partitions.put(tp, new FetchRequest.PartitionFetch(position, config.maxPartitionFetchBytes()));
            offsets.put(tp, position);
        }
        if (partitions.isEmpty()) {
            return;
        }
        FetchRequest request = new FetchRequest(
                config.fetchMaxWaitMs(),
                config.fetchMinBytes(),
                config.fetchMaxBytes(),
                config.isolationLevel(),
                partitions);
        ReadBufferPool.Lease lease = readBuffers == null ? null : readBuffers.lease();
        CompletableFuture<FetchResponse> future;
        try {
            future = lease == null ? broker.fetch(request) : broker.fetch(request, lease);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((r, e) -> onAnswer.run());
        inFlight.add(new InFlightFetch(future, offsets, time.nanoseconds(), lease));
    }

    private boolean isInFlight(TopicPartition tp) {
        for (InFlightFetch f : inFlight) {
            if (f.offsets().containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasBuffered(TopicPartition tp) {
        for (CompletedFetch f : completed) {
            if (f.partition.equals(tp)) {
                return true;
            }
        }
        return false;
    }

    /** Moves the answers of finished fetches into {@code completed}; handles their errors. */
    void takeAnswer() {
        for (InFlightFetch fetch : List.copyOf(inFlight)) {
            if (!fetch.future().isDone()) {
                if (time.nanoseconds() - fetch.sentNanos()
                        >= TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs())) {
                    inFlight.remove(fetch); // no answer within request.timeout.ms: forget it and ask again
                }
                continue;
            }
            inFlight.remove(fetch);
            takeAnswer(fetch);
        }
    }

    private void takeAnswer(InFlightFetch fetch) {
        FetchResponse response;
        try {
            response = fetch.future().join();
        } catch (RuntimeException e) {
            throw Futures.asWeir(e, "fetch");
        }
        for (Map.Entry<TopicPartition, FetchResponse.PartitionData> e :
                response.partitions().entrySet()) {
            TopicPartition tp = e.getKey();
            Long fetchOffset = fetch.offsets().get(tp);
            FetchResponse.PartitionData data = e.getValue();
            // The broker is done with the answer's buffers: those it read into from the lease are ours now.
            byte[] pooled = fetch.lease() == null ? null : fetch.lease().claim(data.records());
            // Drop answers for partitions unassigned, seeked or reset since the request went out.
            if (fetchOffset == null
                    || !subscriptions.isAssigned(tp)
                    || !subscriptions.state(tp).hasValidPosition()
                    || subscriptions.state(tp).position.longValue() != fetchOffset) {
                if (pooled != null) {
                    readBuffers.give(pooled); // nothing was read from it
                }
                continue;
            }
            if (data.error().isSuccess()) {
                SubscriptionState.PartitionState state = subscriptions.state(tp);
                state.highWatermark = data.highWatermark();
                state.lastStableOffset = data.lastStableOffset();
                completed.add(new CompletedFetch(
                        tp, fetchOffset, data, config.isolationLevel(), config.checkCrcs(), pooled, readBuffers));
                continue;
            }
            if (pooled != null) {
                readBuffers.give(pooled); // an error answer carries no records, but give back whatever it holds
            }
            if (data.error().error() == Errors.OFFSET_OUT_OF_RANGE) {
                if (subscriptions.defaultReset() == OffsetResetStrategy.NONE) {
                    throw new OffsetOutOfRangeException("Fetch position " + fetchOffset
                            + " is out of range for partition " + tp
                            + " (log start " + data.logStartOffset() + ", high watermark " + data.highWatermark()
                            + ") and auto.offset.reset=none");
                }
                subscriptions.requestReset(tp, subscriptions.defaultReset());
            } else if (data.error().error() == Errors.UNKNOWN_TOPIC_OR_PARTITION
                    || data.error().error() == Errors.KAFKA_STORAGE_ERROR
                    || data.error().error() == Errors.REQUEST_TIMED_OUT) {
                // Possibly transient (a topic being created, a disk hiccup): ask again after the backoff.
                noFetchBeforeNanos = time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
            } else {
                throw data.error().exception();
            }
        }
    }

    /**
     * Up to max.poll.records records from the buffered answers, advancing positions as it goes. The answers are
     * taken in turn: one whose records do not all fit in this poll goes behind the others (there is at most one
     * buffered answer per partition, so a partition's order is kept).
     *
     * <p>A record that cannot be read or deserialized stays at the head of {@code completed}, with its
     * partition's position at it. If this poll already took records, they are returned and the next poll
     * meets the bad record first and throws; otherwise this one throws. Either way nothing is lost or skipped
     * until the caller seeks past it — Kafka's behaviour.
     *
     * @throws RecordDeserializationException if the first record to return fails to deserialize
     * @throws CorruptRecordException if the first bytes to read are corrupt
     */
    ConsumerRecords<K, V> collect() {
        if (completed.isEmpty()) {
            return ConsumerRecords.empty();
        }
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        int budget = config.maxPollRecords();
        ArrayDeque<CompletedFetch> skippedPaused = new ArrayDeque<>();
        try {
            while (budget > 0 && !completed.isEmpty()) {
                CompletedFetch fetch = completed.peekFirst();
                if (!subscriptions.isAssigned(fetch.partition)) {
                    completed.pollFirst().release();
                    continue;
                }
                SubscriptionState.PartitionState state = subscriptions.state(fetch.partition);
                if (state.paused) {
                    skippedPaused.add(completed.pollFirst()); // kept for when the partition resumes
                    continue;
                }
                try {
                    budget = drainInto(out, fetch, budget);
                } catch (SerializationException | CorruptRecordException e) {
                    if (out.isEmpty()) {
                        throw e;
                    }
                    break;
                } finally {
                    state.position = fetch.nextFetchOffset();
                }
                if (budget > 0) {
                    // Used up: every record it handed out is converted, so its buffer may go back.
                    completed.pollFirst().release();
                } else {
                    // The budget ran out inside this answer: its rest waits behind the other partitions' answers,
                    // so that one partition's large answer does not starve the others for many polls.
                    completed.addLast(completed.pollFirst());
                }
            }
        } finally {
            while (!skippedPaused.isEmpty()) {
                completed.addFirst(skippedPaused.pollLast());
            }
        }
        return out.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(out);
    }

    /** Moves up to {@code budget} records of {@code fetch} into {@code out}; returns the budget left. */
    private int drainInto(Map<TopicPartition, List<ConsumerRecord<K, V>>> out, CompletedFetch fetch, int budget) {
        RecordCursor record;
        List<ConsumerRecord<K, V>> records = null;
        while (budget > 0 && (record = fetch.peek()) != null) {
            ConsumerRecord<K, V> converted = toConsumerRecord(fetch, record);
            fetch.consume(); // only now: a record that failed to convert stays next, for the next poll to fail on
            if (records == null) {
                records = out.computeIfAbsent(fetch.partition, k -> new ArrayList<>());
            }
            records.add(converted);
            budget--;
        }
        return budget;
    }

    /**
     * The record the cursor stands on, as the user's objects. A deserializer that reads buffers gets a view of the
     * bytes; one that copies them (the default) gets its copy made straight from the fetched bytes, with no view in
     * between — the same call its default {@code deserialize(String, ByteBuffer)} would make.
     */
    private ConsumerRecord<K, V> toConsumerRecord(CompletedFetch fetch, RecordCursor r) {
        String topic = fetch.partition.topic();
        K key;
        V value;
        try {
            key = keyCopies
                    ? keyDeserializer.deserialize(topic, r.keyBytes())
                    : keyDeserializer.deserialize(topic, r.key());
            value = valueCopies
                    ? valueDeserializer.deserialize(topic, r.valueBytes())
                    : valueDeserializer.deserialize(topic, r.value());
        } catch (RuntimeException e) {
            throw new RecordDeserializationException(
                    fetch.partition,
                    r.offset(),
                    "Error deserializing key/value for partition " + fetch.partition + " at offset " + r.offset()
                            + ". If needed, please seek past the record to continue consumption.",
                    e);
        }
        return new ConsumerRecord<>(
                topic,
                fetch.partition.partition(),
                r.offset(),
                r.timestamp(),
                fetch.isLogAppendTime()
                        ? ConsumerRecord.TimestampType.LOG_APPEND_TIME
                        : ConsumerRecord.TimestampType.CREATE_TIME,
                r.keySize(),
                r.valueSize(),
                key,
                value,
                r.headers().length == 0 ? List.of() : Arrays.asList(r.headers()));
    }
}
