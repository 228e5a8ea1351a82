package io.weir.properties;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.TopicPartition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on conditions with a deadline, and reading what a consumer can see, for the properties' steps. */
final class Await {
    static final long DEADLINE_SECONDS = 60;

    private Await() {}

    /** Checks {@code done} until it holds, every millisecond, at most {@value #DEADLINE_SECONDS} s. */
    static void until(BooleanSupplier done, String what, Supplier<String> context) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; " + context.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a poll's backoff, not a wait for an event
        }
    }

    /**
     * Reads every record of the consumer's assigned partitions up to their end offsets (the last stable offsets under
     * read_committed) as they are now, handing each to {@code sink}.
     */
    static <K, V> void readAvailable(Consumer<K, V> consumer, java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read to " + ends);
            }
            consumer.poll(Duration.ofMillis(20)).forEach(sink);
        }
    }
}
