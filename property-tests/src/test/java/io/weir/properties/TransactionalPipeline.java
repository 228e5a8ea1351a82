package io.weir.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.MockTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system under test of {@link TransactionalPipelineProperties} and its model. A consume-transform-produce loop
 * written out by hand: a transactional producer turns input position {@code p} of a one-partition input topic into
 * the output record {@code in-p} (on partition {@code p % 2} of the output), and each commit carries the input
 * offset it reached for group {@code g}, as {@code sendOffsetsToTransaction} does in Kafka's loop. A transaction that
 * aborts leaves its positions to the next one, as a real loop would re-read them from the committed offset.
 *
 * <p>The model is one number, the committed input position {@code c}: read_committed readers of the output must see
 * exactly {@code in-0 .. in-(c-1)}, each once, in order per partition, and the group's committed offset must be
 * {@code c}. While a commit's outcome is in doubt (its call failed), {@code c} is one of two values until the next
 * producer's {@code initTransactions} settles it.
 *
 * <p>Not thread-safe: one chain runs on the test thread.
 */
final class TransactionalPipeline {
    static final long TXN_TIMEOUT_MS = 60_000;
    private static final AtomicInteger TRIES = new AtomicInteger();

    final FaultyBroker broker;
    private final MockTime time;
    private final String id = "p" + TRIES.incrementAndGet();
    private final String in = "in-" + id;
    private final String out = "out-" + id;
    private final String group = "g-" + id;
    private final String transactionalId = "tx-" + id;
    private final List<TopicPartition> outputs = List.of(new TopicPartition(out, 0), new TopicPartition(out, 1));
    private final TopicPartition input = new TopicPartition(in, 0);
    private final Admin admin;
    private final Consumer<String, String> reader;
    private final Consumer<String, String> offsets;
    private Producer<String, String> producer;

    /** Model: the committed input position, the open transaction's start and end. */
    private int committed;

    private int openEnd = -1;
    private final List<List<String>> view = List.of(new ArrayList<>(), new ArrayList<>());

    TransactionalPipeline(FaultyBroker broker, MockTime time) {
        this.broker = broker;
        this.time = time;
        String bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        try {
            admin.createTopics(List.of(new NewTopic(in, 1), new NewTopic(out, 2)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not create the topics of " + id, e);
        }
        reader = Consumer.create(
                Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                new StringDeserializer(),
                new StringDeserializer());
        reader.assign(outputs);
        reader.seekToBeginning(outputs);
        offsets = Consumer.create(
                Map.of("bootstrap.servers", bootstrap, "group.id", group, "isolation.level", "read_committed"),
                new StringDeserializer(),
                new StringDeserializer());
        producer = newProducer();
    }

    private Producer<String, String> newProducer() {
        Producer<String, String> p = Producer.create(
                Map.of(
                        "bootstrap.servers",
                        broker.bootstrapServers(),
                        "transactional.id",
                        transactionalId,
                        "transaction.timeout.ms",
                        (int) TXN_TIMEOUT_MS,
                        "linger.ms",
                        0,
                        "max.block.ms",
                        30_000,
                        "delivery.timeout.ms",
                        60_000),
                new StringSerializer(),
                new StringSerializer());
        p.initTransactions();
        return p;
    }

    boolean open() {
        return openEnd >= 0;
    }

    boolean openWithRecords() {
        return openEnd > committed;
    }

    void begin() {
        producer.beginTransaction();
        openEnd = committed;
    }

    void send(int n) {
        for (int i = 0; i < n; i++) {
            int position = openEnd++;
            producer.send(new ProducerRecord<>(out, position % 2, "k" + position, "in-" + position));
        }
    }

    /** Commits with the offsets reached; a failed commit is in doubt until a new producer settles it. */
    void commit() {
        int end = openEnd;
        openEnd = -1;
        try {
            producer.sendOffsetsToTransaction(
                    Map.of(input, new OffsetAndMetadata(end)), new ConsumerGroupMetadata(group));
            producer.commitTransaction();
            committed = end;
        } catch (RuntimeException e) {
            settleInDoubt(committed, end, e);
        }
    }

    void abort() {
        openEnd = -1;
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            replaceProducer();
        }
    }

    /** The next producer's initTransactions completes or aborts what the last one left; the offset says which. */
    private void settleInDoubt(int before, int after, RuntimeException cause) {
        replaceProducer();
        int now = committedOffset();
        assertTrue(
                now == before || now == after,
                "after a failed commit (" + cause + ") the committed offset is " + now + ", neither " + before + " nor "
                        + after);
        committed = now;
    }

    private void replaceProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // the old producer may be in any state; it is replaced either way
        }
        producer = newProducer();
    }

    /**
     * A second instance with the same transactional.id takes over while a transaction is open: the open transaction
     * is aborted, and the old instance (the zombie) can neither write nor commit.
     */
    void zombie() {
        Producer<String, String> old = producer;
        producer = newProducer();
        openEnd = -1;
        Faults.count(Faults.Kind.ZOMBIE_PRODUCER);
        try {
            assertThrows(RuntimeException.class, () -> {
                old.send(new ProducerRecord<>(out, 0, "zombie", "zombie"));
                old.sendOffsetsToTransaction(
                        Map.of(input, new OffsetAndMetadata(committed + 1000)), new ConsumerGroupMetadata(group));
                old.commitTransaction();
            });
        } finally {
            old.close(Duration.ZERO);
        }
    }

    /**
     * The broker's clock passes the open transaction's timeout: the coordinator aborts it, and the producer's commit
     * must fail (it can only abort, then go on).
     */
    void timeOut() {
        producer.flush(); // so the coordinator holds the transaction (its partitions were added)
        time.sleep(TXN_TIMEOUT_MS + 1_000);
        awaitCondition(
                () -> !"Ongoing".equalsIgnoreCase(transactionState()),
                "the coordinator to abort the timed-out transaction of " + transactionalId);
        Faults.count(Faults.Kind.TRANSACTION_TIMEOUT);
        openEnd = -1;
        assertThrows(RuntimeException.class, producer::commitTransaction, "commit after the transaction timed out");
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            replaceProducer();
        }
    }

    private String transactionState() {
        try {
            TransactionDescription d = admin.describeTransactions(List.of(transactionalId))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(transactionalId);
            return d.state().toString();
        } catch (Exception e) {
            return "unknown: " + e;
        }
    }

    int committedOffset() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                OffsetAndMetadata offset = offsets.committed(Set.of(input)).get(input);
                return offset == null ? 0 : (int) offset.offset();
            } catch (RuntimeException e) {
                last = e; // an unstable offset (a commit's markers are landing) or a restarting broker
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // retry backoff
            }
        }
        throw new AssertionError("could not read the committed offset of " + group, last);
    }

    /** What read_committed shows, read to the last stable offset of each partition. */
    private void readToStableEnd() {
        Await.readAvailable(reader, r -> view.get(r.partition()).add(r.value()));
    }

    private List<String> expected(int partition, int upTo) {
        List<String> values = new ArrayList<>();
        for (int p = partition; p < upTo; p += 2) {
            values.add("in-" + p);
        }
        return values;
    }

    /**
     * Invariant: read_committed shows a prefix of the committed outputs (nothing aborted, nothing twice, in order),
     * and once the last commit's markers landed, all of them; the group's offset is then exactly the committed
     * position, never ahead of the outputs that reflect it.
     */
    void checkReadCommittedMatchesCommits() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            readToStableEnd();
            for (int p = 0; p < 2; p++) {
                List<String> all = expected(p, committed);
                List<String> seen = view.get(p);
                assertTrue(
                        seen.size() <= all.size() && all.subList(0, seen.size()).equals(seen),
                        "read_committed on " + out + "-" + p + " shows " + seen + "; committed: " + all);
            }
            if (view.get(0).size() + view.get(1).size() == committed) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "read_committed never showed the last commit: " + view + ", committed up to " + committed);
            }
        }
        int offset = committedOffset();
        assertEquals(committed, offset, "group " + group + "'s committed offset against the outputs it reflects");
    }

    private void awaitCondition(java.util.function.BooleanSupplier done, String what) {
        Await.until(done, what, this::toString);
    }

    /** Drops this try's clients and topics; the broker stays for the next try. */
    void close() {
        broker.disarm();
        try {
            producer.close(Duration.ZERO);
            reader.close(Duration.ZERO);
            offsets.close(Duration.ZERO);
            admin.deleteTopics(List.of(in, out)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a try that failed may leave its topics; the next try uses new names
        } finally {
            admin.close();
        }
    }

    @Override
    public String toString() {
        return id + "{committed=" + committed + (open() ? ", open to " + openEnd : "") + "}";
    }
}
