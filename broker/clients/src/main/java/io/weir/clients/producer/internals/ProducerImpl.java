package io.weir.clients.producer.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.ClientMetadata;
import io.weir.clients.internals.Plugins;
import io.weir.clients.internals.Serialization;
import io.weir.clients.producer.Callback;
import io.weir.clients.producer.DefaultPartitioner;
import io.weir.clients.producer.Partitioner;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InterruptException;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.errors.SerializationException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.record.Header;
import io.weir.common.serialization.Serializer;
import io.weir.common.utils.Time;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The {@link Producer}: wires the metadata cache, the {@link RecordAccumulator} and the {@link Sender} thread,
 * and runs the send path — metadata, serialize, size checks, partition, append — on the caller's thread.
 *
 * <p>Lifecycle {@code RUNNING → CLOSING → CLOSED}, in {@code state}. Thread-safe: {@code send} takes only the
 * target partition's deque lock (and, for a transactional producer, the {@link TransactionManager}'s lock to
 * register the partition); {@code close} may race with {@code send}, and the accumulator refuses appends once
 * closing so no record is buffered after the sender's last pass.
 *
 * <p>With idempotence a {@link TransactionManager} holds the producer id and the transaction state; the
 * transactional methods change that state on the caller's thread and wait, up to {@code max.block.ms}, for the
 * sender thread to carry out the coordinator requests. A transactional producer closed with a transaction open
 * just stops: the coordinator aborts the transaction when it times out, or when the next instance with the
 * same {@code transactional.id} calls {@code initTransactions()}.
 */
public final class ProducerImpl<K, V> implements Producer<K, V> {

    private enum State {
        RUNNING,
        CLOSING,
        CLOSED
    }

    private static final Header[] NO_HEADERS = new Header[0];

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final Time time;
    private final ClientMetadata metadata;
    private final RecordAccumulator accumulator;
    private final Sender sender;
    /** Null without idempotence. */
    private final TransactionManager transactions;

    private final Thread senderThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    /** One TopicPartition object per partition, so that send does not allocate one per record. */
    private final ConcurrentHashMap<String, TopicPartition[]> partitionsByTopic = new ConcurrentHashMap<>();

    public ProducerImpl(
            ProducerConfig config,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            BrokerApi broker,
            Time time) {
        this(config, keySerializer, valueSerializer, broker, time, SenderStart.START_THREAD);
    }

    /** @param senderStart CALLER_DRIVES in unit tests that drive the sender with {@link #sender()} themselves */
    ProducerImpl(
            ProducerConfig config,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            BrokerApi broker,
            Time time,
            SenderStart senderStart) {
        this(config, keySerializer, valueSerializer, broker, time, senderStart, (from, to) -> {});
    }

    /** @param transitionObserver told of every transaction-state transition, on the thread that makes it (tests) */
    ProducerImpl(
            ProducerConfig config,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            BrokerApi broker,
            Time time,
            SenderStart senderStart,
            BiConsumer<TransactionManagerState, TransactionManagerState> transitionObserver) {
        this.config = config;
        this.time = time;
        this.keySerializer =
                keySerializer != null ? keySerializer : plugin(config.keySerializer(), ProducerConfig.KEY_SERIALIZER);
        this.valueSerializer = valueSerializer != null
                ? valueSerializer
                : plugin(config.valueSerializer(), ProducerConfig.VALUE_SERIALIZER);
        if (keySerializer == null) {
            this.keySerializer.configure(config.originals(), true);
        }
        if (valueSerializer == null) {
            this.valueSerializer.configure(config.originals(), false);
        }
        this.partitioner = config.partitionerClass() == null
                ? new DefaultPartitioner()
                : plugin(config.partitionerClass(), ProducerConfig.PARTITIONER_CLASS);
        this.partitioner.configure(config.originals());
        this.metadata = new ClientMetadata(
                broker,
                time,
                config.metadataMaxAgeMs(),
                config.retryBackoffMs(),
                ClientMetadata.TopicCreation.AUTO_CREATE);
        this.accumulator = new RecordAccumulator(
                config.compressionType(),
                config.batchSize(),
                config.lingerMs(),
                config.retryBackoffMs(),
                config.deliveryTimeoutMs(),
                new BufferPool(config.bufferMemory(), config.batchSize(), time),
                time);
        this.transactions = config.enableIdempotence() ? new TransactionManager(config, transitionObserver) : null;
        this.sender = new Sender(config, accumulator, broker, metadata, time, transactions);
        String name = "weir-producer-sender" + (config.clientId().isEmpty() ? "" : " | " + config.clientId());
        this.senderThread = new Thread(sender, name);
        senderThread.setDaemon(true);
        if (senderStart == SenderStart.START_THREAD) {
            senderThread.start();
        }
    }

    /** Whether the constructor starts the sender thread, or a unit test drives the sender itself. */
    enum SenderStart {
        START_THREAD,
        CALLER_DRIVES
    }

    private static <T> T plugin(Class<?> type, String key) {
        return Plugins.instantiate(type, key, "pass a serializer to Producer.create");
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        ensureOpen("send");
        long startNanos = time.nanoseconds();
        String topic = record.topic();
        try {
            ClientMetadata.TopicInfo info = metadata.topic(topic, config.maxBlockMs());
            byte[] keyBytes = Serialization.serialize(keySerializer, topic, record.key(), "key");
            byte[] valueBytes = Serialization.serialize(valueSerializer, topic, record.value(), "value");
            Header[] headers =
                    record.headers().isEmpty() ? NO_HEADERS : record.headers().toArray(NO_HEADERS);
            int size = RecordSizes.singleRecordBatchSize(keyBytes, valueBytes, headers);
            checkSize(topic, size, info);
            int numPartitions = info.partitions();
            int partition = partition(record, keyBytes, valueBytes, numPartitions);
            TopicPartition tp = partitionOf(topic, partition, numPartitions);
            if (transactions != null) {
                transactions.maybeAddPartition(tp);
            }
            long timestamp = record.timestamp() != null ? record.timestamp() : time.milliseconds();
            int sizeLimit = Math.min(config.batchSize(), info.maxMessageBytes());
            long remainingMs = config.maxBlockMs() - TimeUnit.NANOSECONDS.toMillis(time.nanoseconds() - startNanos);
            FutureRecordMetadata future = accumulator.append(
                    tp, timestamp, keyBytes, valueBytes, headers, callback, remainingMs, sizeLimit, size);
            if (future.newBatchCreated() && record.partition() == null) {
                // The Partitioner protocol: a sticky partitioner moves on once its partition starts a new batch.
                partitioner.onNewBatch(topic, partition, numPartitions);
            }
            if (future.batchIsFull() || future.newBatchCreated()) {
                sender.wakeup();
            }
            return future;
        } catch (InterruptException
                | SerializationException
                | IllegalClientStateException
                | ProducerFencedException e) {
            throw e;
        } catch (WeirException e) {
            // Kafka's contract: an error about this record fails its future and reaches its callback.
            if (callback != null) {
                callback.onCompletion(null, e);
            }
            return new FailedFuture(e);
        }
    }

    private void checkSize(String topic, int size, ClientMetadata.TopicInfo info) {
        if (size > config.maxRequestSize()) {
            throw new RecordTooLargeException("The record to topic '" + topic + "' is " + size
                    + " bytes when serialized, " + "which is larger than " + config.maxRequestSize() + ", the value of "
                    + ProducerConfig.MAX_REQUEST_SIZE);
        }
        if (size > info.maxMessageBytes()) {
            throw new RecordTooLargeException(
                    "The record to topic '" + topic + "' is " + size + " bytes when serialized, "
                            + "which is larger than " + info.maxMessageBytes() + ", the topic's max.message.bytes");
        }
        if (size > config.bufferMemory()) {
            throw new RecordTooLargeException("The record to topic '" + topic + "' is " + size
                    + " bytes when serialized, " + "which is larger than " + config.bufferMemory() + ", the value of "
                    + ProducerConfig.BUFFER_MEMORY);
        }
    }

    private int partition(ProducerRecord<K, V> record, byte[] keyBytes, byte[] valueBytes, int numPartitions) {
        Integer requested = record.partition();
        if (requested != null) {
            if (requested >= numPartitions) {
                throw new UnknownTopicOrPartitionException(
                        "Partition " + requested + " of topic '" + record.topic() + "' does not exist: the topic has "
                                + numPartitions + " partitions (0.." + (numPartitions - 1) + ")");
            }
            return requested;
        }
        int p = partitioner.partition(
                record.topic(), record.key(), keyBytes, record.value(), valueBytes, numPartitions);
        if (p < 0 || p >= numPartitions) {
            throw new UnknownTopicOrPartitionException(
                    "Partitioner " + partitioner.getClass().getName() + " chose partition " + p + " of topic '"
                            + record.topic() + "', which has " + numPartitions + " partitions");
        }
        return p;
    }

    private TopicPartition partitionOf(String topic, int partition, int numPartitions) {
        TopicPartition[] tps = partitionsByTopic.get(topic);
        if (tps == null || tps.length != numPartitions) {
            tps = new TopicPartition[numPartitions];
            for (int p = 0; p < numPartitions; p++) {
                tps[p] = new TopicPartition(topic, p);
            }
            partitionsByTopic.put(topic, tps);
        }
        return tps[partition];
    }

    @Override
    public void initTransactions() {
        ensureOpen("initTransactions");
        ensureNotSenderThread("initTransactions()");
        awaitTransactional(transactions().initializeTransactions());
    }

    @Override
    public void beginTransaction() {
        ensureOpen("beginTransaction");
        transactions().beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        ensureOpen("sendOffsetsToTransaction");
        ensureNotSenderThread("sendOffsetsToTransaction()");
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(groupMetadata, "groupMetadata");
        awaitTransactional(transactions().sendOffsets(offsets, groupMetadata));
    }

    @Override
    public void commitTransaction() {
        ensureOpen("commitTransaction");
        ensureNotSenderThread("commitTransaction()");
        TransactionalRequestResult result = transactions().beginCommit();
        // EndTxn waits for every batch anyway; flushing makes lingering ones go now instead of after linger.ms.
        flush();
        awaitTransactional(result);
    }

    @Override
    public void abortTransaction() {
        ensureOpen("abortTransaction");
        ensureNotSenderThread("abortTransaction()");
        awaitTransactional(transactions().beginAbort());
    }

    /** The transaction manager, or a refusal that says which setting is missing. */
    private TransactionManager transactions() {
        if (transactions == null || !transactions.isTransactional()) {
            throw new IllegalClientStateException("Transactional methods need a transactional producer: set "
                    + ProducerConfig.TRANSACTIONAL_ID + " in the producer's configuration");
        }
        return transactions;
    }

    private void ensureNotSenderThread(String operation) {
        if (sender.isSenderThread()) {
            throw new IllegalClientStateException(operation + " called from a producer callback would wait for "
                    + "the sender thread it runs on; call it from another thread");
        }
    }

    private void awaitTransactional(TransactionalRequestResult result) {
        sender.wakeup();
        result.await(config.maxBlockMs());
    }

    @Override
    public void flush() {
        ensureOpen("flush");
        if (sender.isSenderThread()) {
            throw new IllegalClientStateException(
                    "flush() called from a producer callback would wait for itself; " + "call it from another thread");
        }
        accumulator.beginFlush();
        sender.wakeup();
        accumulator.awaitFlush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        ensureOpen("partitionsFor");
        ClientMetadata.TopicInfo info = metadata.topic(topic, config.maxBlockMs());
        List<PartitionInfo> out = new ArrayList<>(info.partitions());
        for (int p = 0; p < info.partitions(); p++) {
            out.add(new PartitionInfo(topic, p, 0));
        }
        return out;
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        if (!state.compareAndSet(State.RUNNING, State.CLOSING)) {
            awaitSenderExit(timeout);
            return;
        }
        accumulator.close();
        if (sender.isSenderThread()) {
            // From a callback we cannot wait for our own thread to drain; give up on what is buffered.
            sender.forceClose();
        } else {
            sender.initiateClose();
            awaitSenderExit(timeout);
            if (senderThread.isAlive()) {
                sender.forceClose();
                awaitSenderExit(Duration.ofMillis(Long.MAX_VALUE));
            }
        }
        state.set(State.CLOSED);
        closeQuietly(partitioner);
        closeQuietly(keySerializer);
        closeQuietly(valueSerializer);
    }

    private void awaitSenderExit(Duration timeout) {
        if (sender.isSenderThread() || !senderThread.isAlive()) {
            return;
        }
        try {
            long ms = timeout.toMillis();
            if (ms >= Long.MAX_VALUE / 2) {
                senderThread.join();
            } else {
                senderThread.join(Math.max(ms, 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while closing the producer", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    private void ensureOpen(String operation) {
        if (state.get() != State.RUNNING) {
            throw new IllegalClientStateException("Cannot perform " + operation + " after the producer"
                    + (config.clientId().isEmpty() ? "" : " '" + config.clientId() + "'") + " has been closed");
        }
    }

    Sender sender() {
        return sender;
    }

    TransactionManager transactionManager() {
        return transactions;
    }

    RecordAccumulator accumulator() {
        return accumulator;
    }

    Map<String, TopicPartition[]> partitionCache() {
        return partitionsByTopic;
    }
}
