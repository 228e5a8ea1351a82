package io.weir.clients.e2e;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.common.TopicPartition;
import io.weir.common.errors.TimeoutException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.transport.Transports;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded broker on a fixed directory behind a {@link BrokerApi} that survives its restarts and injects
 * the faults exactly-once must absorb, for end-to-end tests:
 * <ul>
 *   <li><b>duplicate</b>: a produce request is delivered twice (the second once the first was answered), as a
 *       network retry would; the client sees the second answer;</li>
 *   <li><b>lost answer</b>: a request is served but its answer replaced by a {@link TimeoutException}, so the
 *       client retries something that already happened (produce, end-transaction, add-partitions,
 *       transactional offset commits);</li>
 *   <li><b>restart</b>: the broker is closed cleanly or crashed and reopened on the same directory. Calls made
 *       meanwhile wait for the new broker; calls the old broker failed while stopping come back as retriable
 *       timeouts, as a dropped connection would.</li>
 * </ul>
 * Fault choices come from one seeded {@link Random}; with client threads racing, the same seed gives the same
 * fault rates but not necessarily the same placement.
 */
final class FaultyBroker implements AutoCloseable {
    private static final Set<String> RETRIED_CALLS =
            Set.of("produce", "endTxn", "addPartitionsToTxn", "addOffsetsToTxn", "txnOffsetCommit");

    private final Path dir;
    private final Map<String, String> brokerProperties;
    private final Random random;
    private final double duplicateRate;
    private final double lostAnswerRate;
    private final Object lock = new Object();
    /** Guarded by {@code lock}; null while restarting. */
    private EmbeddedBroker broker;

    private BrokerApi target;
    private final AtomicInteger generation = new AtomicInteger();
    private final BrokerApi api;

    FaultyBroker(
            Path dir, Map<String, String> brokerProperties, long seed, double duplicateRate, double lostAnswerRate) {
        this.dir = dir;
        this.brokerProperties = brokerProperties;
        this.random = new Random(seed);
        this.duplicateRate = duplicateRate;
        this.lostAnswerRate = lostAnswerRate;
        open();
        this.api = (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, new Forwarder());
    }

    private void open() {
        Map<String, String> props = new HashMap<>(brokerProperties);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        EmbeddedBroker opened = EmbeddedBroker.open(BrokerConfig.from(props));
        synchronized (lock) {
            broker = opened;
            target = Transports.connect(List.of(opened.bootstrapServers()));
            generation.incrementAndGet();
            lock.notifyAll();
        }
    }

    /** The fault-injecting API the clients under test use. */
    BrokerApi api() {
        return api;
    }

    /** The current broker, for direct (fault-free) verification clients. */
    EmbeddedBroker broker() {
        synchronized (lock) {
            return broker;
        }
    }

    /** Closes the broker cleanly or crashes it, then reopens it on the same directory. */
    void restart(boolean crash) {
        EmbeddedBroker old;
        synchronized (lock) {
            old = broker;
            broker = null;
            target = null;
            // Before the close: a call the old broker fails while stopping must see that it was stopped.
            generation.incrementAndGet();
        }
        if (crash) {
            old.crashForTesting();
        } else {
            old.close();
        }
        open();
    }

    /** The broker a call goes to and the restart generation it belongs to, read together. */
    private record Served(BrokerApi target, int generation) {}

    private Served awaitTarget() {
        synchronized (lock) {
            while (target == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the broker restarts", e);
                }
            }
            // Under the lock, with the target: read apart, a restart in between would pair the old broker with
            // the new generation, and the old broker's "closed" answer would reach the client as is.
            return new Served(target, generation.get());
        }
    }

    private boolean roll(double rate) {
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    @Override
    public void close() {
        EmbeddedBroker current = broker();
        if (current != null) {
            current.close();
        }
    }

    private final class Forwarder implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(FaultyBroker.this, args);
            }
            Served served = awaitTarget();
            BrokerApi to = served.target();
            int servedBy = served.generation();
            String name = method.getName();
            CompletableFuture<Object> answer = call(to, method, args, servedBy);
            if (name.equals("produce") && roll(duplicateRate)) {
                // The request again, as a client's network retry would deliver it: same bytes, same sequence.
                answer = answer.thenCompose(first -> call(to, method, rewound(args), servedBy));
            }
            if (RETRIED_CALLS.contains(name) && roll(lostAnswerRate)) {
                answer = answer.handle((value, error) -> {
                    throw new CompletionException(
                            new TimeoutException("injected: the answer to " + name + " was lost"));
                });
            }
            return answer;
        }

        @SuppressWarnings("unchecked")
        private CompletableFuture<Object> call(BrokerApi to, Method method, Object[] args, int servedBy) {
            CompletableFuture<Object> future;
            try {
                future = (CompletableFuture<Object>) method.invoke(to, args);
            } catch (InvocationTargetException e) {
                future = CompletableFuture.failedFuture(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return future.handle((value, error) -> {
                if (error != null && generation.get() != servedBy) {
                    // The broker stopped under the call: to the client this is a dropped connection.
                    throw new CompletionException(new TimeoutException(
                            "injected: the broker restarted during " + method.getName() + " (" + error + ")"));
                }
                if (error != null) {
                    throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                }
                return value;
            });
        }

        /** A produce request's buffers rewound, so the second delivery reads the same bytes. */
        private Object[] rewound(Object[] args) {
            ProduceRequest request = (ProduceRequest) args[0];
            Map<TopicPartition, ByteBuffer> copy = new HashMap<>();
            request.batches()
                    .forEach((tp, bytes) -> copy.put(tp, bytes.duplicate().rewind()));
            return new Object[] {
                new ProduceRequest(request.acks(), request.timeoutMs(), request.transactionalId(), copy)
            };
        }
    }
}
