package io.weir.peer;

import static org.junit.jupiter.api.Assertions.fail;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Helpers shared by the tests of this module: Weir clients for one {@code bootstrap.servers} (embedded or
 * network, the tests cannot tell), topic creation, and waiting on a condition with a deadline.
 */
final class Clients {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final String bootstrap;

    Clients(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    String bootstrap() {
        return bootstrap;
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    Producer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("bootstrap.servers", bootstrap);
        props.putIfAbsent("linger.ms", 0);
        return Producer.create(props, new StringSerializer(), new StringSerializer());
    }

    Consumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("bootstrap.servers", bootstrap);
        props.putIfAbsent("auto.offset.reset", "earliest");
        props.putIfAbsent("enable.auto.commit", false);
        // Short sessions and heartbeats, so that joins and rebalances take well under a second.
        props.putIfAbsent("session.timeout.ms", 6_000);
        props.putIfAbsent("heartbeat.interval.ms", 200);
        return Consumer.create(props, new StringDeserializer(), new StringDeserializer());
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls until {@code count} records arrived, failing at the deadline with what did. */
    static List<ConsumerRecord<String, String>> pollUntil(Consumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (out.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("Expected " + count + " records within " + DEADLINE + " but got " + out.size() + ": " + out);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        }
        return out;
    }

    /**
     * {@code first} subscribes to the two-partition {@code topic} and takes both; then {@code second} joins, and both
     * poll until each owns one.
     */
    static void secondMemberJoins(
            Consumer<String, String> first,
            Consumer<String, String> second,
            String topic,
            io.weir.clients.consumer.ConsumerRebalanceListener firstListener) {
        first.subscribe(List.of(topic), firstListener);
        await(
                "the first member to own both partitions",
                () -> first.assignment().size() == 2,
                () -> first.poll(Duration.ofMillis(50)));
        second.subscribe(List.of(topic));
        await(
                "both members to own one partition each",
                () -> first.assignment().size() == 1 && second.assignment().size() == 1,
                () -> {
                    first.poll(Duration.ofMillis(50));
                    second.poll(Duration.ofMillis(50));
                });
    }

    /** Waits for {@code condition}, re-checking it every {@code poll} call, failing with {@code what} at the deadline. */
    static void await(String what, BooleanSupplier condition, Runnable poll) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + DEADLINE + " waiting for " + what);
            }
            poll.run();
        }
    }

    /** Between re-checks of a condition with nothing to poll: parks briefly instead of spinning a core. */
    static void backOff() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
}
