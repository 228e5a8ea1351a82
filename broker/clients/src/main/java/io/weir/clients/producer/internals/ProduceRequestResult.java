package io.weir.clients.producer.internals;

import io.weir.common.TopicPartition;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one batch, shared by the futures of all its records: the batch's base offset and append
 * time, or the error that failed it. Written once by the sender thread, then {@link #done()} releases every
 * waiter; the latch's release/acquire makes the plain fields visible to them.
 */
final class ProduceRequestResult {
    private final TopicPartition partition;
    private final CountDownLatch latch = new CountDownLatch(1);
    private long baseOffset = -1L;
    private long logAppendTime = -1L;
    private RuntimeException error;

    ProduceRequestResult(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    void set(long baseOffset, long logAppendTime, RuntimeException error) {
        this.baseOffset = baseOffset;
        this.logAppendTime = logAppendTime;
        this.error = error;
    }

    void done() {
        latch.countDown();
    }

    void await() throws InterruptedException {
        latch.await();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return latch.await(timeout, unit);
    }

    boolean completed() {
        return latch.getCount() == 0L;
    }

    long baseOffset() {
        return baseOffset;
    }

    long logAppendTime() {
        return logAppendTime;
    }

    RuntimeException error() {
        return error;
    }
}
