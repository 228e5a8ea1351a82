package io.weir.broker.network.internals;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener-wide bound on requests read from every connection, Kafka's {@code queued.max.requests} and {@code
 * queued.max.request.bytes}: while either is reached, every connection stops reading (each checks {@link #full()}
 * when it decides whether to read), and those that stopped for it read again once the bound eases.
 *
 * <p>What counts, and until when:
 * <ul>
 *   <li>a request counts against {@code queued.max.requests} from the moment it is read until it is handed to the
 *       broker (Kafka: until a request handler thread takes it off the request queue). A request the broker
 *       holds (a long-poll Fetch, a JoinGroup waiting for the rebalance) no longer counts, so held requests can
 *       never stop the reads that would release them;
 *   <li>its frame's bytes count against {@code queued.max.request.bytes} from the moment it is read until it is
 *       handed to the broker, and a Produce's until the broker answers it (whether or not its connection closed
 *       meanwhile), since its batches are referenced until their append is done: that is the memory the bound is for (Kafka's memory pool for request buffers). -1 or 0:
 *       no bound. Produces complete without further reads (the append ring drains on its own).
 * </ul>
 * The bound is soft by one socket read: frames already decoded from a read are served.
 *
 * <p>Threading: any thread (atomics). The resume callbacks run on the thread that eased the bound and must only
 * hand work to their connection's event loop.
 */
class QueuedRequests { // not final: tests script full() to race a connection
    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** Connections that stopped reading for this bound: how to tell each to reconsider. */
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    /**
     * @param maxRequests {@code queued.max.requests}, at least 1
     * @param maxBytes    {@code queued.max.request.bytes}; -1 or 0 for no bound
     */
    QueuedRequests(int maxRequests, long maxBytes) {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("queued.max.requests=" + maxRequests + " must be at least 1");
        }
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /** No bound at all (for tests of a connection alone). */
    static QueuedRequests unbounded() {
        return new QueuedRequests(Integer.MAX_VALUE, -1);
    }

    /** A request of {@code frameBytes} was read. */
    void read(int frameBytes) {
        requests.incrementAndGet();
        bytes.addAndGet(frameBytes);
    }

    /** A request read earlier was handed to the broker (or answered without it). */
    void dispatched() {
        requests.decrementAndGet();
        wakeIfEased();
    }

    /**
     * The bytes of a request of {@code frameBytes} are free: it was handed to the broker (not a Produce), the
     * broker answered it, or its connection closed before it was handed over.
     */
    void released(int frameBytes) {
        bytes.addAndGet(-frameBytes);
        wakeIfEased();
    }

    /** Whether connections must stop reading. */
    boolean full() {
        return requests.get() >= maxRequests || (maxBytes > 0 && bytes.get() >= maxBytes);
    }

    /** Calls {@code resume} once the bound eases (at once if it already has). */
    void whenEased(Runnable resume) {
        waiting.add(resume);
        wakeIfEased();
    }

    private void wakeIfEased() {
        if (waiting.isEmpty() || full()) {
            return;
        }
        for (Runnable resume : waiting) {
            if (waiting.remove(resume)) {
                resume.run();
            }
        }
    }

    /** Requests read and not yet handed to the broker. */
    int requests() {
        return requests.get();
    }

    /** Bytes of requests read and not yet answered. */
    long bytes() {
        return bytes.get();
    }
}
