package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.CloseOptions;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.OffsetAndTimestamp;
import io.weir.clients.consumer.OffsetCommitCallback;
import io.weir.clients.consumer.OffsetResetStrategy;
import io.weir.clients.internals.ClientMetadata;
import io.weir.clients.internals.Futures;
import io.weir.clients.internals.Plugins;
import io.weir.common.IsolationLevel;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InterruptException;
import io.weir.common.errors.InvalidGroupIdException;
import io.weir.common.errors.NoOffsetForPartitionException;
import io.weir.common.errors.WakeupException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.serialization.Deserializer;
import io.weir.common.utils.Time;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The {@link Consumer}: positions in {@link SubscriptionState}, offset lookups and resets here, fetching —
 * requests, the one fetch in flight, buffered answers handed out up to {@code max.poll.records} at a time —
 * in the {@link Fetcher}; with a {@code group.id}, group membership in the {@link ConsumerCoordinator} and
 * committed offsets in the {@link OffsetCommitter}. This class owns the lifecycle, the thread confinement and
 * the blocking of {@code poll}.
 *
 * <p><b>Threading.</b> Every public method but {@link #wakeup()} runs under {@link #acquire()}, Kafka's
 * light-weight lock: a CAS of the calling thread's id, reentrant through a count, failing with
 * {@link ConcurrentModificationException} when another thread holds it. So all fields below are confined to
 * the holding thread, except {@code wakeupRequested} and {@code waiter}, which {@code wakeup()} and the
 * transport's completion hook use to unpark a blocked poll.
 */
public final class ConsumerImpl<K, V> implements Consumer<K, V> {
    private static final long NO_CURRENT_THREAD = -1L;

    private final ConsumerConfig config;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final BrokerApi broker;
    private final Time time;
    private final ClientMetadata metadata;
    private final SubscriptionState subscriptions;
    private final Fetcher<K, V> fetcher;
    /** Null without a group.id. */
    private final ConsumerCoordinator coordinator;

    private final OffsetCommitter committer;
    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private final AtomicInteger refCount = new AtomicInteger();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private volatile Thread waiter;
    private boolean closed;

    public ConsumerImpl(
            ConsumerConfig config,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            BrokerApi broker,
            Time time) {
        this.config = config;
        this.broker = broker;
        this.time = time;
        this.keyDeserializer = keyDeserializer != null
                ? keyDeserializer
                : plugin(config.keyDeserializer(), ConsumerConfig.KEY_DESERIALIZER);
        this.valueDeserializer = valueDeserializer != null
                ? valueDeserializer
                : plugin(config.valueDeserializer(), ConsumerConfig.VALUE_DESERIALIZER);
        if (keyDeserializer == null) {
            this.keyDeserializer.configure(config.originals(), true);
        }
        if (valueDeserializer == null) {
            this.valueDeserializer.configure(config.originals(), false);
        }
        this.metadata = new ClientMetadata(
                broker,
                time,
                config.metadataMaxAgeMs(),
                config.retryBackoffMs(),
                ClientMetadata.TopicCreation.EXISTING_ONLY);
        this.subscriptions = new SubscriptionState(config.autoOffsetReset());
        this.fetcher = new Fetcher<>(
                config, broker, time, subscriptions, this.keyDeserializer, this.valueDeserializer, this::unparkWaiter);
        if (config.hasGroup()) {
            List<ConsumerPartitionAssignor> assignors =
                    Assignors.forNames(config.group().assignmentStrategies());
            assignors.forEach(assignor -> assignor.configure(config.originals()));
            this.coordinator = new ConsumerCoordinator(
                    config, broker, time, subscriptions, assignors, this::awaitAnswer, fetcher::dropUnassigned);
            this.committer = new OffsetCommitter(config, broker, time, subscriptions, coordinator, this::awaitAnswer);
            coordinator.setCommitter(committer);
        } else {
            this.coordinator = null;
            this.committer = null;
        }
    }

    /**
     * Blocks until {@code future} is done or the deadline passes; a {@link #wakeup()} meanwhile throws.
     *
     * @return whether the future is done
     */
    private boolean awaitAnswer(CompletableFuture<?> future, long deadlineNanos) {
        if (!future.isDone()) {
            future.whenComplete((r, e) -> unparkWaiter());
            parkUntil(deadlineNanos, future);
        }
        maybeThrowWakeup();
        return future.isDone();
    }

    private void requireGroup(String call) {
        if (coordinator == null) {
            throw new InvalidGroupIdException(call + " needs a consumer group: set " + ConsumerConfig.GROUP_ID);
        }
    }

    private static <T> T plugin(Class<?> type, String key) {
        return Plugins.instantiate(type, key, "pass a deserializer to Consumer.create");
    }

    // ---- thread confinement, as KafkaConsumer ------------------------------------------------------------

    /** The fetcher (tests: its read buffers). */
    Fetcher<K, V> fetcher() {
        return fetcher;
    }

    private void acquireAndEnsureOpen() {
        acquire();
        if (closed) {
            release();
            throw new IllegalClientStateException("This consumer has already been closed.");
        }
    }

    private void acquire() {
        long threadId = Thread.currentThread().getId();
        if (threadId != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, threadId)) {
            throw new ConcurrentModificationException("Consumer is not safe for multi-threaded access: thread "
                    + Thread.currentThread().getName() + " called it while thread id " + currentThread.get()
                    + " is using it");
        }
        refCount.incrementAndGet();
    }

    private void release() {
        if (refCount.decrementAndGet() == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }

    // ---- assignment and positions -----------------------------------------------------------------------

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        acquireAndEnsureOpen();
        try {
            for (TopicPartition tp : partitions) {
                if (tp == null || tp.topic().isBlank()) {
                    throw new IllegalArgumentException(
                            "Topic partitions to assign must have a non-empty topic: " + partitions);
                }
            }
            if (partitions.isEmpty()) {
                unsubscribe();
                return;
            }
            subscriptions.assignFromUser(partitions);
            fetcher.dropUnassigned();
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        acquireAndEnsureOpen();
        try {
            return Set.copyOf(subscriptions.assigned());
        } finally {
            release();
        }
    }

    @Override
    public Set<String> subscription() {
        acquireAndEnsureOpen();
        try {
            return subscriptions.hasAutoAssignedPartitions() ? Set.copyOf(subscriptions.subscription()) : Set.of();
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquireAndEnsureOpen();
        try {
            if (topics == null) {
                throw new IllegalArgumentException("Topic collection to subscribe to must not be null");
            }
            if (topics.isEmpty()) {
                unsubscribe();
                return;
            }
            for (String topic : topics) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("Topics to subscribe to must be non-empty names: " + topics);
                }
            }
            requireGroup("subscribe(" + topics + ")");
            if (subscriptions.subscribe(Set.copyOf(topics), listener)) {
                coordinator.requestRejoin();
            }
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        acquireAndEnsureOpen();
        try {
            if (pattern == null || pattern.pattern().isEmpty()) {
                throw new IllegalArgumentException(
                        "Topic pattern to subscribe to must not be " + (pattern == null ? "null" : "empty"));
            }
            requireGroup("subscribe(" + pattern + ")");
            subscriptions.subscribe(pattern, listener);
            coordinator.requestRejoin();
        } finally {
            release();
        }
    }

    @Override
    public void unsubscribe() {
        acquireAndEnsureOpen();
        try {
            if (coordinator != null && subscriptions.hasAutoAssignedPartitions()) {
                coordinator.leaveGroup("the consumer unsubscribed", CloseOptions.GroupMembershipOperation.DEFAULT);
            }
            subscriptions.unsubscribe();
            fetcher.dropUnassigned();
        } finally {
            release();
        }
    }

    @Override
    public void enforceRebalance() {
        acquireAndEnsureOpen();
        try {
            if (coordinator == null || !subscriptions.hasAutoAssignedPartitions()) {
                throw new IllegalStateException(
                        "enforceRebalance needs a group subscription; this consumer has none (subscribe first)");
            }
            coordinator.requestRejoin();
        } finally {
            release();
        }
    }

    // ---- committed offsets and group ----------------------------------------------------------------------

    @Override
    public void commitSync() {
        commitSync(Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    @Override
    public void commitSync(Duration timeout) {
        acquireAndEnsureOpen();
        try {
            requireGroup("commitSync");
            committer.commitSync(committer.consumedOffsets(), deadline(timeout));
        } finally {
            release();
        }
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquireAndEnsureOpen();
        try {
            requireGroup("commitSync");
            committer.commitSync(Map.copyOf(offsets), deadline(timeout));
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        acquireAndEnsureOpen();
        try {
            requireGroup("commitAsync");
            committer.commitAsync(committer.consumedOffsets(), callback);
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquireAndEnsureOpen();
        try {
            requireGroup("commitAsync");
            committer.commitAsync(Map.copyOf(offsets), callback);
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquireAndEnsureOpen();
        try {
            requireGroup("committed");
            return committer.committed(partitions, deadline(timeout));
        } finally {
            release();
        }
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        acquireAndEnsureOpen();
        try {
            requireGroup("groupMetadata");
            return coordinator.groupMetadata();
        } finally {
            release();
        }
    }

    private long deadline(Duration timeout) {
        return time.nanoseconds() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException(
                    "seek offset must not be negative, but was " + offset + " for " + partition);
        }
        acquireAndEnsureOpen();
        try {
            subscriptions.seek(partition, offset);
            fetcher.dropBuffered(partition);
        } finally {
            release();
        }
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.EARLIEST);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.LATEST);
    }

    private void requestReset(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquireAndEnsureOpen();
        try {
            Collection<TopicPartition> targets = partitions.isEmpty() ? subscriptions.assigned() : partitions;
            for (TopicPartition tp : targets) {
                subscriptions.requestReset(tp, strategy);
                fetcher.dropBuffered(tp);
            }
        } finally {
            release();
        }
    }

    @Override
    public long position(TopicPartition partition) {
        acquireAndEnsureOpen();
        try {
            SubscriptionState.PartitionState state = subscriptions.state(partition);
            if (!state.hasValidPosition()) {
                resolveResets(time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.defaultApiTimeoutMs()));
            }
            return state.position;
        } finally {
            release();
        }
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        acquireAndEnsureOpen();
        try {
            SubscriptionState.PartitionState state = subscriptions.state(partition);
            long end = config.isolationLevel() == IsolationLevel.READ_COMMITTED
                    ? state.lastStableOffset
                    : state.highWatermark;
            if (!state.hasValidPosition() || end < 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.max(0, end - state.position));
        } finally {
            release();
        }
    }

    /** Looks up the positions of partitions that have none or asked for a reset. */
    private void resolveResets(long deadlineNanos) {
        List<TopicPartition> needing = subscriptions.needingReset();
        if (needing.isEmpty()) {
            return;
        }
        List<TopicPartition> undefined = new ArrayList<>();
        Map<TopicPartition, Long> lookups = new LinkedHashMap<>();
        for (TopicPartition tp : needing) {
            OffsetResetStrategy strategy = subscriptions.state(tp).pendingReset;
            if (strategy == OffsetResetStrategy.NONE) {
                undefined.add(tp);
            } else {
                lookups.put(
                        tp,
                        strategy == OffsetResetStrategy.EARLIEST
                                ? ListOffsetsRequest.EARLIEST
                                : ListOffsetsRequest.LATEST);
            }
        }
        if (!undefined.isEmpty()) {
            throw new NoOffsetForPartitionException(
                    "Undefined offset with no reset policy (auto.offset.reset=none) for partitions: " + undefined);
        }
        Map<TopicPartition, ListOffsetsResponse.PartitionOffset> found = listOffsets(lookups, deadlineNanos);
        found.forEach((tp, po) -> {
            if (subscriptions.isAssigned(tp)) {
                subscriptions.seek(tp, po.offset());
            }
        });
    }

    private Map<TopicPartition, ListOffsetsResponse.PartitionOffset> listOffsets(
            Map<TopicPartition, Long> timestamps, long deadlineNanos) {
        if (timestamps.isEmpty()) {
            return Map.of();
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - time.nanoseconds());
        ListOffsetsResponse response = Futures.await(
                broker.listOffsets(new ListOffsetsRequest(config.isolationLevel(), timestamps)),
                Math.max(remainingMs, 1),
                "offsets of " + timestamps.keySet());
        Map<TopicPartition, ListOffsetsResponse.PartitionOffset> out = new LinkedHashMap<>();
        for (TopicPartition tp : timestamps.keySet()) {
            ListOffsetsResponse.PartitionOffset po = response.partitions().get(tp);
            if (po == null) {
                throw Errors.UNKNOWN_SERVER_ERROR.exception("The broker's listOffsets answer left out " + tp);
            }
            if (!po.error().isSuccess()) {
                throw po.error().exception();
            }
            out.put(tp, po);
        }
        return out;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return offsetsAt(partitions, ListOffsetsRequest.EARLIEST);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsetsAt(partitions, ListOffsetsRequest.LATEST);
    }

    private Map<TopicPartition, Long> offsetsAt(Collection<TopicPartition> partitions, long spec) {
        acquireAndEnsureOpen();
        try {
            Map<TopicPartition, Long> request = new LinkedHashMap<>();
            partitions.forEach(tp -> request.put(tp, spec));
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            listOffsets(request, apiDeadline()).forEach((tp, po) -> out.put(tp, po.offset()));
            return out;
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        acquireAndEnsureOpen();
        try {
            timestamps.forEach((tp, ts) -> {
                if (ts == null || ts < 0) {
                    throw new IllegalArgumentException(
                            "The target time for partition " + tp + " is " + ts + ": it must be >= 0");
                }
            });
            Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
            listOffsets(new LinkedHashMap<>(timestamps), apiDeadline())
                    .forEach((tp, po) ->
                            out.put(tp, po.offset() < 0 ? null : new OffsetAndTimestamp(po.offset(), po.timestamp())));
            return out;
        } finally {
            release();
        }
    }

    private long apiDeadline() {
        return time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.defaultApiTimeoutMs());
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        updatePartitions(partitions, s -> s.paused = true);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        updatePartitions(partitions, s -> s.paused = false);
    }

    private void updatePartitions(
            Collection<TopicPartition> partitions,
            java.util.function.Consumer<SubscriptionState.PartitionState> update) {
        acquireAndEnsureOpen();
        try {
            for (TopicPartition tp : partitions) {
                update.accept(subscriptions.state(tp));
            }
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        acquireAndEnsureOpen();
        try {
            return Set.copyOf(subscriptions.paused());
        } finally {
            release();
        }
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        acquireAndEnsureOpen();
        try {
            ClientMetadata.TopicInfo info = metadata.topic(topic, config.defaultApiTimeoutMs());
            return partitionInfos(info);
        } finally {
            release();
        }
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        acquireAndEnsureOpen();
        try {
            Map<String, List<PartitionInfo>> out = new LinkedHashMap<>();
            metadata.allTopics(config.defaultApiTimeoutMs())
                    .forEach((name, info) -> out.put(name, partitionInfos(info)));
            return out;
        } finally {
            release();
        }
    }

    private static List<PartitionInfo> partitionInfos(ClientMetadata.TopicInfo info) {
        List<PartitionInfo> out = new ArrayList<>(info.partitions());
        for (int p = 0; p < info.partitions(); p++) {
            out.add(new PartitionInfo(info.topic(), p, 0));
        }
        return out;
    }

    // ---- poll ---------------------------------------------------------------------------------------------

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("poll timeout must not be negative: " + timeout);
        }
        acquireAndEnsureOpen();
        try {
            if (subscriptions.type() == SubscriptionState.Type.NONE) {
                throw new IllegalClientStateException(
                        "Consumer is not subscribed to any topics or assigned any partitions; "
                                + "call subscribe(...) or assign(...) before poll");
            }
            long deadline = deadline(timeout);
            do {
                maybeThrowWakeup();
                if (coordinator != null) {
                    committer.invokeCompletedCallbacks();
                    coordinator.poll(deadline);
                    committer.maybeAutoCommit();
                    committer.refreshCommittedOffsets(
                            deadline + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs()));
                }
                resolveResets(deadline + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs()));
                fetcher.takeAnswer();
                ConsumerRecords<K, V> records = fetcher.collect();
                if (!records.isEmpty()) {
                    // Pipelining: the broker gathers the next records while the caller processes these.
                    fetcher.sendFetchIfNeeded();
                    return records;
                }
                fetcher.sendFetchIfNeeded();
                awaitFetch(deadline);
            } while (time.nanoseconds() < deadline);
            maybeThrowWakeup();
            fetcher.takeAnswer();
            return fetcher.collect();
        } finally {
            release();
        }
    }

    private void maybeThrowWakeup() {
        if (wakeupRequested.compareAndSet(true, false)) {
            throw new WakeupException("Consumer poll was woken up by wakeup()");
        }
    }

    @Override
    public void wakeup() {
        wakeupRequested.set(true);
        unparkWaiter();
    }

    /** Any thread: lets a poll blocked in {@link #parkUntil} look again. */
    private void unparkWaiter() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Blocks until the in-flight fetch is answered (or the backoff ends), the deadline passes or wakeup() is called. */
    private void awaitFetch(long deadlineNanos) {
        parkUntil(Math.min(deadlineNanos, fetcher.waitUntilNanos()), fetcher.pendingAnswer());
    }

    private void parkUntil(long deadlineNanos, CompletableFuture<?> done) {
        waiter = Thread.currentThread();
        try {
            while (done == null || !done.isDone()) {
                if (wakeupRequested.get()) {
                    return;
                }
                long remaining = deadlineNanos - time.nanoseconds();
                if (remaining <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException("Interrupted while polling");
                }
            }
        } finally {
            waiter = null;
        }
    }

    @Override
    public void close(Duration timeout) {
        close(CloseOptions.timeout(timeout));
    }

    @Override
    public void close(CloseOptions options) {
        Duration timeout = options.timeoutDuration();
        acquire();
        try {
            if (closed) {
                return;
            }
            try {
                if (coordinator != null) {
                    leaveOnClose(deadline(timeout), options.operation());
                }
            } finally {
                closed = true;
                fetcher.clear();
                keyDeserializer.close();
                valueDeserializer.close();
            }
        } finally {
            release();
        }
    }

    /** Commits (auto-commit), revokes and leaves; a failure is logged so that close always releases. */
    private void leaveOnClose(long deadlineNanos, CloseOptions.GroupMembershipOperation operation) {
        try {
            if (subscriptions.hasAutoAssignedPartitions()) {
                coordinator.leaveGroup("the consumer is being closed", operation);
            } else if (config.group().enableAutoCommit()) {
                committer.commitSync(committer.consumedOffsets(), deadlineNanos);
            }
            committer.awaitInFlight(deadlineNanos);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ConsumerImpl.class)
                    .warn("Consumer of group " + config.groupId() + " could not commit or leave cleanly on close", e);
        } finally {
            coordinator.close();
        }
    }
}
