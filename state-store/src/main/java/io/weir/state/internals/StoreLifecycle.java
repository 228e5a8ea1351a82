package io.weir.state.internals;

import io.weir.common.utils.Time;
import io.weir.state.KeyValue;
import io.weir.state.StoreState;
import io.weir.state.errors.IllegalStateTransitionException;
import io.weir.state.errors.OpenIteratorsException;
import io.weir.state.errors.StoreClosedException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store's lifecycle ({@link StoreState} and its transition table) and the registry of its open iterators.
 *
 * <p>Invariant: every iterator a store hands out is registered here until it is closed; {@code close} completes
 * only when none is registered. Threading: the state is volatile and read on every call from any thread;
 * transitions and the close wait synchronize on {@code monitor}, which iterator closes notify while the store is
 * closing. The close grace is measured with the injected {@link Time}; the wait itself is done in short real-time
 * slices so that a test clock advanced by another thread is noticed.
 */
final class StoreLifecycle {
    private static final long WAIT_SLICE_MILLIS = 10;

    private final String store;
    private final Time time;
    private final Duration grace;
    private final Object monitor = new Object();
    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private volatile StoreState state = StoreState.OPEN;

    StoreLifecycle(String store, Time time, Duration grace) {
        this.store = store;
        this.time = time;
        this.grace = grace;
    }

    StoreState state() {
        return state;
    }

    Time time() {
        return time;
    }

    void ensureOpen() {
        StoreState s = state;
        if (s != StoreState.OPEN) {
            throw new StoreClosedException(store, s);
        }
    }

    private void transition(StoreState to) {
        synchronized (monitor) {
            if (!state.canTransitionTo(to)) {
                throw new IllegalStateTransitionException(store, state, to);
            }
            state = to;
        }
    }

    /** Registers {@code iterator}; it deregisters itself on close. */
    BytesIterator track(BytesIterator iterator) {
        Tracked t = new Tracked(iterator, Thread.currentThread());
        open.add(t);
        return t;
    }

    int openIterators() {
        return open.size();
    }

    int openIteratorsOf(Thread thread) {
        int n = 0;
        for (Tracked t : open) {
            if (t.owner == thread) {
                n++;
            }
        }
        return n;
    }

    /**
     * OPEN -> CLOSING, wait up to the grace for open iterators, then either run {@code release} and become CLOSED,
     * or go back to OPEN and throw. Idempotent once CLOSED.
     */
    void close(Runnable release) {
        synchronized (monitor) {
            if (state == StoreState.CLOSED) {
                return;
            }
            transition(StoreState.CLOSING);
            long deadline = time.nanoseconds() + grace.toNanos();
            try {
                while (!open.isEmpty() && time.nanoseconds() - deadline < 0) {
                    monitor.wait(WAIT_SLICE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!open.isEmpty()) {
                int count = open.size();
                transition(StoreState.OPEN);
                throw new OpenIteratorsException(store, count, grace);
            }
        }
        try {
            release.run();
        } finally {
            transition(StoreState.CLOSED);
        }
    }

    private final class Tracked implements BytesIterator {
        private final BytesIterator delegate;
        private final Thread owner;
        private boolean closed;

        Tracked(BytesIterator delegate, Thread owner) {
            this.delegate = delegate;
            this.owner = owner;
        }

        @Override
        public boolean hasNext() {
            return !closed && delegate.hasNext();
        }

        @Override
        public KeyValue<byte[], byte[]> next() {
            if (closed) {
                throw new IllegalStateException("iterator of store '" + store + "' is closed");
            }
            return delegate.next();
        }

        @Override
        public byte[] peekNextKey() {
            if (closed) {
                throw new IllegalStateException("iterator of store '" + store + "' is closed");
            }
            return delegate.peekNextKey();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                delegate.close();
            } finally {
                open.remove(this);
                if (state == StoreState.CLOSING) {
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
            }
        }
    }
}
