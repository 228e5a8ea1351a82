package io.weir.clients.producer.internals;

import io.weir.clients.internals.ClientMetadata;
import io.weir.clients.internals.Futures;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer's I/O loop: drains ready batches from the {@link RecordAccumulator} into produce requests,
 * keeps at most {@code max.in.flight.requests.per.connection} of them outstanding, and handles their answers —
 * completing batches (and so futures and callbacks), re-enqueuing retriable failures after
 * {@code retry.backoff.ms} while {@code retries} and {@code delivery.timeout.ms} allow, failing the rest.
 *
 * <p>Threading: everything here runs on the one sender thread except {@link #wakeup()} (any thread) and the
 * transport's completion hook, which only queues the answer and wakes the loop — so user callbacks always run
 * on the sender thread, never on a broker thread. Tests drive {@link #runOnce()} directly instead of starting
 * the thread.
 *
 * <p>Ordering: a retried batch goes back to the head of its partition's deque. With one request in flight
 * nothing else of that partition can overtake it, so {@code max.in.flight.requests.per.connection=1} keeps
 * per-partition order across retries; with more, a retry may land after later batches (as in Kafka without
 * idempotence) — unless the producer is idempotent.
 *
 * <p>Idempotence and transactions: with a {@link TransactionManager} the loop also sends its coordinator
 * requests (one at a time, answers handled on this thread like produce answers), drains only what its
 * {@link RecordAccumulator.DrainGate} lets through (stamped with producer id, epoch and sequence), asks it
 * whether a refused batch may be retried, tells it of every batch completed before the batch's callbacks run,
 * and fails the unsent batches of a transaction that is aborting or can only be aborted.
 */
final class Sender implements Runnable {

    /** One produce request awaiting its answer. {@code done} is set by whichever comes first: answer or timeout. */
    private static final class InFlight {
        final Map<TopicPartition, ProducerBatch> batches;
        final long sentNanos;
        boolean done;

        InFlight(Map<TopicPartition, ProducerBatch> batches, long sentNanos) {
            this.batches = batches;
            this.sentNanos = sentNanos;
        }
    }

    private record Answer(InFlight request, ProduceResponse response, Throwable failure) {}

    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final BrokerApi broker;
    private final ClientMetadata metadata;
    private final Time time;
    private final long requestTimeoutNanos;
    private final long deliveryTimeoutNanos;
    private final List<InFlight> inFlight = new ArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Coordinator answers, each ready to run its handler. */
    private final ConcurrentLinkedQueue<Runnable> coordinatorAnswers = new ConcurrentLinkedQueue<>();
    /** Null for a producer without idempotence. */
    private final TransactionManager transactions;

    private final RecordAccumulator.DrainGate gate;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile boolean forceClose;

    /** @param transactions null for a producer without idempotence */
    Sender(
            ProducerConfig config,
            RecordAccumulator accumulator,
            BrokerApi broker,
            ClientMetadata metadata,
            Time time,
            TransactionManager transactions) {
        this.config = config;
        this.transactions = transactions;
        this.gate = transactions == null ? RecordAccumulator.DrainGate.OPEN : transactions;
        this.accumulator = accumulator;
        this.broker = broker;
        this.metadata = metadata;
        this.time = time;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
        this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.deliveryTimeoutMs());
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            long waitNanos = runOnce();
            park(waitNanos);
        }
        // Closing: keep sending until everything buffered is acknowledged, unless told to stop now.
        while (!forceClose && (accumulator.hasIncomplete() || accumulator.appendsInProgress() || !inFlight.isEmpty())) {
            long waitNanos = runOnce();
            park(waitNanos);
        }
        abortAll(new IllegalClientStateException("Producer closed forcefully before the record was acknowledged"));
    }

    private void park(long nanos) {
        if (!woken.getAndSet(false) && nanos > 0) {
            LockSupport.parkNanos(this, nanos);
            woken.set(false);
        }
    }

    /** Any thread: makes the loop look at the accumulator now instead of at the end of its wait. */
    void wakeup() {
        if (woken.compareAndSet(false, true)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    boolean isSenderThread() {
        return Thread.currentThread() == thread;
    }

    /** Lets the loop finish what is buffered, then exit. */
    void initiateClose() {
        running = false;
        wakeup();
    }

    /** Makes the loop exit at once, failing whatever is still unacknowledged. */
    void forceClose() {
        forceClose = true;
        running = false;
        wakeup();
    }

    /**
     * One pass: handle answers, expire what waited too long, send what is ready.
     *
     * @return how long the loop may wait before something needs it (unless woken earlier)
     */
    long runOnce() {
        long now = time.nanoseconds();
        handleAnswers(now);
        expire(now);
        long wait = TimeUnit.MILLISECONDS.toNanos(100);
        if (transactions != null) {
            wait = Math.min(wait, runTransactions(now));
        }
        while (inFlight.size() < config.maxInFlightRequestsPerConnection()) {
            RecordAccumulator.ReadyCheck ready = accumulator.ready(now);
            wait = Math.min(wait, ready.nextCheckDelayNanos());
            if (ready.partitions().isEmpty()) {
                break;
            }
            Map<TopicPartition, ProducerBatch> drained =
                    accumulator.drain(ready.partitions(), config.maxRequestSize(), now, gate);
            if (drained.isEmpty()) {
                break;
            }
            send(drained, now);
        }
        if (!inFlight.isEmpty()) {
            wait = Math.min(wait, inFlight.get(0).sentNanos + requestTimeoutNanos - now);
        }
        return Math.max(wait, 0);
    }

    /** Fails what the transaction state rules out, then sends the next coordinator request; returns its backoff wait. */
    private long runTransactions(long now) {
        if (transactions.mustFailUnsentBatches() && accumulator.hasUndrained()) {
            RuntimeException error = transactions.unsentBatchesError();
            for (ProducerBatch batch : accumulator.drainAllForAbort()) {
                complete(batch, -1, -1, error);
            }
        }
        boolean batchesOutstanding =
                accumulator.hasIncomplete() || accumulator.appendsInProgress() || !inFlight.isEmpty();
        TxnRequestHandler<?> next = transactions.nextRequest(now, batchesOutstanding);
        if (next != null) {
            sendCoordinatorRequest(next);
            // An answer already there (a producer id, partitions added) lets this very pass drain.
            handleCoordinatorAnswers();
        }
        return transactions.retryDelayNanos(now);
    }

    private <R> void sendCoordinatorRequest(TxnRequestHandler<R> handler) {
        CompletableFuture<R> answer;
        try {
            answer = handler.send(broker);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            coordinatorAnswers.add(() -> handler.complete(response, failure, time.nanoseconds()));
            wakeup();
        });
    }

    private void send(Map<TopicPartition, ProducerBatch> drained, long now) {
        Map<TopicPartition, ByteBuffer> payload = new HashMap<>(drained.size() * 2);
        drained.forEach((tp, batch) -> {
            batch.inFlight = true;
            batch.transportHolds++;
            payload.put(tp, batch.bytes());
        });
        InFlight request = new InFlight(drained, now);
        inFlight.add(request);
        String transactionalId = transactions == null ? null : transactions.transactionalId();
        ProduceRequest produce =
                new ProduceRequest(config.acks().code(), config.requestTimeoutMs(), transactionalId, payload);
        try {
            broker.produce(produce).whenComplete((response, failure) -> {
                answers.add(new Answer(request, response, failure));
                wakeup();
            });
        } catch (RuntimeException e) {
            answers.add(new Answer(request, null, e));
        }
    }

    private void handleAnswers(long now) {
        Answer answer;
        while ((answer = answers.poll()) != null) {
            InFlight request = answer.request();
            for (ProducerBatch batch : request.batches.values()) {
                batch.transportHolds--; // the broker is done with the bytes, whatever it answered
            }
            if (request.done) {
                // Already timed out and handled; a batch completed since then can give its buffer back now.
                request.batches.values().forEach(this::maybeReturnBuffer);
                continue;
            }
            markDone(request);
            inFlight.remove(request);
            if (answer.failure() != null) {
                WeirException error = Futures.asWeir(answer.failure(), "produce request");
                request.batches.values().forEach(b -> failOrRetry(b, Errors.forException(error), error, now));
                continue;
            }
            for (ProducerBatch batch : request.batches.values()) {
                ProduceResponse.PartitionResponse pr =
                        answer.response().partitions().get(batch.partition);
                if (pr == null) {
                    failOrRetry(
                            batch,
                            Errors.UNKNOWN_SERVER_ERROR,
                            Errors.UNKNOWN_SERVER_ERROR.exception(
                                    "The broker's produce answer left out " + batch.partition),
                            now);
                } else if (pr.error().isSuccess()) {
                    complete(batch, pr.baseOffset(), pr.logAppendTime(), null);
                } else if (pr.error().error() == Errors.DUPLICATE_SEQUENCE_NUMBER && transactions != null) {
                    // Written before, but too long ago for the broker to still know its offset (Kafka does the same).
                    complete(batch, -1, -1, null);
                } else {
                    failOrRetry(batch, pr.error().error(), pr.error().exception(), now);
                }
            }
        }
        handleCoordinatorAnswers();
    }

    private void handleCoordinatorAnswers() {
        Runnable answer;
        while ((answer = coordinatorAnswers.poll()) != null) {
            answer.run();
        }
    }

    private static void markDone(InFlight request) {
        request.done = true;
        request.batches.values().forEach(b -> b.inFlight = false);
    }

    private void expire(long now) {
        for (ProducerBatch batch : accumulator.expired(now)) {
            complete(
                    batch,
                    -1,
                    -1,
                    new TimeoutException("Expiring " + batch.recordCount() + " record(s) for " + batch.partition + ": "
                            + config.deliveryTimeoutMs()
                            + " ms (delivery.timeout.ms) has passed since the batch was created"));
        }
        while (!inFlight.isEmpty() && now - inFlight.get(0).sentNanos >= requestTimeoutNanos) {
            InFlight request = inFlight.remove(0);
            markDone(request);
            TimeoutException error = new TimeoutException("No answer to a produce request for "
                    + request.batches.keySet() + " within " + config.requestTimeoutMs() + " ms (request.timeout.ms)");
            request.batches.values().forEach(b -> failOrRetry(b, Errors.REQUEST_TIMED_OUT, error, now));
        }
    }

    private void failOrRetry(ProducerBatch batch, Errors code, RuntimeException error, long now) {
        if (code == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            metadata.invalidate(batch.partition.topic());
        }
        boolean retriable = transactions != null
                ? transactions.mayRetry(batch, code, error)
                : SequenceTracker.isRetriable(code, error);
        // A graceful close still retries; only a forced one gives up at once.
        if (retriable
                && !forceClose
                && batch.attempts <= config.retries()
                && !batch.hasReachedDeliveryTimeout(now, deliveryTimeoutNanos)) {
            accumulator.reenqueue(batch, now);
        } else {
            complete(batch, -1, -1, transactions == null ? error : transactions.failureFor(batch, code, error));
        }
    }

    private void complete(ProducerBatch batch, long baseOffset, long logAppendTime, RuntimeException error) {
        if (batch.isCompleted()) {
            return;
        }
        if (transactions != null) {
            transactions.onBatchCompleted(batch, error); // before the callbacks, so they see the state it leads to
        }
        if (batch.complete(baseOffset, logAppendTime, error)) {
            accumulator.completed(batch);
            maybeReturnBuffer(batch);
        }
    }

    /**
     * Returns a batch's buffer to the pool once the batch is complete and no request carrying it awaits the
     * broker's answer: until the broker answers, it may still read the bytes (a request that timed out here may be
     * queued in the broker's append ring). With {@code acks=0} the broker answers before it reads them, so only the
     * bytes are counted back and the buffer is left to the collector.
     */
    private void maybeReturnBuffer(ProducerBatch batch) {
        if (batch.isCompleted() && batch.transportHolds == 0) {
            accumulator.returnBuffer(batch, config.acks().code() != 0);
        }
    }

    private void abortAll(RuntimeException error) {
        long now = time.nanoseconds();
        handleAnswers(now);
        for (InFlight request : inFlight) {
            markDone(request);
            request.batches.values().forEach(b -> complete(b, -1, -1, error));
        }
        inFlight.clear();
        for (ProducerBatch batch : accumulator.drainAllForAbort()) {
            complete(batch, -1, -1, error);
        }
        if (transactions != null) {
            transactions.close(new IllegalClientStateException("The producer was closed before the call completed"));
        }
    }
}
