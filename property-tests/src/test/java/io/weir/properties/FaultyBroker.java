package io.weir.properties;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.common.TopicPartition;
import io.weir.common.errors.TimeoutException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.transport.Transports;
import io.weir.common.utils.Time;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An embedded broker behind a fault-injecting {@link BrokerApi}, registered in the transport registry as
 * {@code embedded:<name>}, so that producers, consumers, admins and {@code WeirStreams} applications configured with
 * {@link #bootstrapServers()} reach the broker only through it. Faults are armed by the test and fire on the next
 * matching request, never on a timer:
 * <ul>
 *   <li><b>duplicated produce</b>: the next produce request reaches the broker twice (the copy right after the first
 *       is answered, as a network duplicate would); the client sees one answer;
 *   <li><b>replayed produce</b>: a copy of the next produce request is kept and sent again when the test says, after
 *       later requests (a stale retransmit); its answer is dropped;
 *   <li><b>lost answer</b>: the next request of a kind takes effect on the broker, then the client gets a
 *       {@link TimeoutException} instead of the answer (a disconnect after the write) and retries;
 *   <li><b>restart</b>: the broker closes cleanly, or crashes ({@link EmbeddedBroker#crashForTesting}: nothing
 *       synced, no clean-shutdown marker, files as a kill -9 leaves them), and reopens on the same directory; the
 *       coordinators reload from {@code __consumer_offsets} and {@code __transaction_state}. Requests that arrive
 *       meanwhile wait for the new broker, as a client's reconnect would.
 * </ul>
 *
 * <p>Thread-safe: clients call from their own threads; the restart lock keeps requests off a broker that is closing.
 */
final class FaultyBroker implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Coordinator requests whose answers can be lost. */
    static final Set<String> TXN_CALLS =
            Set.of("initProducerId", "addPartitionsToTxn", "addOffsetsToTxn", "endTxn", "txnOffsetCommit");

    private final String name;
    private final Path dataDir;
    private final Map<String, Object> config;
    private final Time time;
    private final BrokerApi api;
    private final ReentrantReadWriteLock restartLock = new ReentrantReadWriteLock();
    private volatile EmbeddedBroker broker;
    private volatile BrokerApi target;

    private int duplicateProduces;
    private int captureProduces;
    private ProduceRequest captured;
    private final Map<String, Integer> loseAnswers = new HashMap<>();

    FaultyBroker(Path dataDir, Map<String, Object> brokerConfig, Time time) {
        this.name = "faulty-" + INSTANCES.incrementAndGet();
        this.dataDir = dataDir;
        this.config = new HashMap<>(brokerConfig);
        this.config.put("log.dirs", dataDir.toString());
        this.config.put(Transports.EMBEDDED_NAME_CONFIG, name + "-inner");
        this.time = time;
        this.api = (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, new Dispatch());
        open();
        Transports.register(name, api);
    }

    /** Small internal topics, so that a restart reloads little. */
    static Map<String, Object> defaults() {
        Map<String, Object> config = new HashMap<>();
        config.put("offsets.topic.num.partitions", 1);
        config.put("transaction.state.log.num.partitions", 1);
        config.put("group.initial.rebalance.delay.ms", 0);
        return config;
    }

    private void open() {
        broker = EmbeddedBroker.open(BrokerConfig.from(config), time);
        target = broker.api();
    }

    String bootstrapServers() {
        return Transports.EMBEDDED_PREFIX + name;
    }

    Path dataDir() {
        return dataDir;
    }

    EmbeddedBroker broker() {
        return broker;
    }

    /** Closes (cleanly, or as a crash) and reopens the broker on its directory. */
    void restart(boolean crash) {
        restartLock.writeLock().lock();
        try {
            if (crash) {
                broker.crashForTesting();
            } else {
                broker.close();
            }
            open();
        } finally {
            restartLock.writeLock().unlock();
        }
        Faults.count(crash ? Faults.Kind.BROKER_CRASH_RESTART : Faults.Kind.BROKER_CLEAN_RESTART);
    }

    synchronized void duplicateNextProduce() {
        duplicateProduces++;
    }

    synchronized void captureNextProduce() {
        captureProduces++;
    }

    /** Loses the answer to the next request named {@code call} ({@code produce} or one of {@link #TXN_CALLS}). */
    synchronized void loseNextAnswer(String call) {
        loseAnswers.merge(call, 1, Integer::sum);
    }

    /** Whether every armed fault has fired: a chain step that armed one waits for its request before checking. */
    synchronized boolean armed() {
        return duplicateProduces > 0 || captureProduces > 0 || !loseAnswers.isEmpty();
    }

    synchronized void disarm() {
        duplicateProduces = 0;
        captureProduces = 0;
        loseAnswers.clear();
    }

    /** Sends the kept produce request again and waits for its (dropped) answer; false if none was kept. */
    boolean replayCaptured() {
        ProduceRequest request;
        synchronized (this) {
            request = captured;
            captured = null;
        }
        if (request == null) {
            return false;
        }
        Faults.count(Faults.Kind.REPLAYED_PRODUCE);
        try {
            call(() -> target.produce(copy(request))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Its answer is not what is tested: only that the broker did not append it a second time.
        }
        return true;
    }

    private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> request) {
        restartLock.readLock().lock();
        try {
            return request.get();
        } finally {
            restartLock.readLock().unlock();
        }
    }

    private static ProduceRequest copy(ProduceRequest request) {
        Map<TopicPartition, ByteBuffer> batches = new HashMap<>();
        request.batches().forEach((tp, bytes) -> {
            ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
            copy.put(bytes.duplicate()).flip();
            batches.put(tp, copy);
        });
        return new ProduceRequest(request.acks(), request.timeoutMs(), request.transactionalId(), batches);
    }

    private synchronized boolean take(String call) {
        Integer n = loseAnswers.get(call);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            loseAnswers.remove(call);
        } else {
            loseAnswers.put(call, n - 1);
        }
        return true;
    }

    private final class Dispatch implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(this, args);
            }
            String call = method.getName();
            boolean lose = take(call);
            CompletableFuture<?> answer;
            if (call.equals("produce")) {
                answer = produce((ProduceRequest) args[0]);
            } else {
                answer = call(() -> invokeTarget(method, args));
            }
            if (!lose) {
                return answer;
            }
            Faults.count(call.equals("produce") ? Faults.Kind.LOST_PRODUCE_ANSWER : Faults.Kind.LOST_TXN_ANSWER);
            return answer.handle((response, failure) -> {
                throw new CompletionException(new TimeoutException(
                        "The answer to " + call + " was lost (injected): the request took effect"));
            });
        }

        private CompletableFuture<?> invokeTarget(Method method, Object[] args) {
            try {
                return (CompletableFuture<?>) method.invoke(target, args);
            } catch (InvocationTargetException e) {
                return CompletableFuture.failedFuture(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private CompletableFuture<?> produce(ProduceRequest request) {
            boolean duplicate;
            synchronized (FaultyBroker.this) {
                duplicate = duplicateProduces > 0;
                if (duplicate) {
                    duplicateProduces--;
                }
                if (captureProduces > 0 && request.transactionalId() != null) {
                    captureProduces--;
                    captured = copy(request);
                }
            }
            if (!duplicate) {
                return call(() -> target.produce(request));
            }
            Faults.count(Faults.Kind.DUPLICATED_PRODUCE);
            ProduceRequest second = copy(request);
            // The copy goes from another thread: the first answer completes on the broker's append thread, which a
            // restart waiting for the rings to drain must never find blocked on the restart lock.
            return call(() -> target.produce(request)).thenComposeAsync(first -> call(() -> target.produce(second))
                    .handle((ignored, e) -> first));
        }
    }

    @Override
    public void close() {
        Transports.unregister(name, api);
        broker.close();
    }
}
