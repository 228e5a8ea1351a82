package io.weir.examples;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.util.Map;
import java.util.Random;

/**
 * The example's input, a live stream of orders: a seeded, hence repeatable, sequence, order {@code i} keyed
 * {@code order-i}, written in {@value #TRANSACTIONS} transactions.
 *
 * <p><b>Resuming.</b> Transactions commit in order, so the committed orders are always a prefix {@code 0..m-1} of the
 * sequence, and a restarted feed resumes at {@code m}: its {@code initTransactions} first aborts whatever a killed
 * predecessor left open, then it counts what is committed.
 *
 * <p><b>Pace.</b> The feed stays at most {@value #AHEAD} transactions ahead of the application: it writes transaction
 * {@code t} once the revenue store accounts for transaction {@code t - AHEAD}. A transaction needs two commits of the
 * application to reach the store (one through the repartition topic, one into the store), so the whole stream needs
 * at least {@code 2 * TRANSACTIONS / AHEAD} commits on any machine, and a crash at a commit below that lands
 * mid-stream, never after the end. Written all at once instead, the orders would also starve the aggregation: the
 * consumer hands out one partition's buffered records before the next partition's, so nearly every order would pass
 * through the repartition topic before the store saw the first of them, and an early crash would find it empty.
 */
final class OrderFeed {
    static final int TRANSACTIONS = 40;
    /** How many transactions the feed may be ahead of what the store accounts for. */
    static final int AHEAD = 4;

    static final int CUSTOMERS = 1_000;
    private static final long SEED = 20_261_121L;
    private static final String TRANSACTIONAL_ID = "orders-feed";

    /** What the application has accounted for, as the feed waits on it. */
    @FunctionalInterface
    interface Accounted {
        /**
         * Returns once the revenue store holds at least {@code cents} in total; {@code progress} is the fraction of the
         * stream that represents.
         */
        void await(long cents, double progress) throws InterruptedException;
    }

    /** What {@link #writeRemaining} found and did. */
    record Written(long alreadyThere, long written, int transactions) {}

    private final String bootstrap;
    private final String topic;
    private final long orders;
    private final long perTransaction;

    OrderFeed(String bootstrap, String topic, long orders) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.orders = orders;
        this.perTransaction = (orders + TRANSACTIONS - 1) / TRANSACTIONS;
    }

    /**
     * Makes the topic hold all the orders, writing those not committed yet at the pace {@code accounted} sets.
     *
     * @throws IllegalStateException if the topic holds something other than a prefix of this stream
     */
    Written writeRemaining(Accounted accounted) throws InterruptedException {
        Map<String, Object> config =
                Map.of("bootstrap.servers", bootstrap, "transactional.id", TRANSACTIONAL_ID, "linger.ms", 5);
        try (Producer<String, Order> producer =
                Producer.create(config, new StringSerializer(), new OrderSerde().serializer())) {
            producer.initTransactions();
            long there = committedOrders();
            if (there > orders || (there % perTransaction != 0 && there != orders)) {
                throw new IllegalStateException("Topic " + topic + " holds " + there + " committed records, which is "
                        + "not a prefix of " + orders + " orders written " + perTransaction + " a transaction; give "
                        + "the example a fresh state directory");
            }
            Order[] all = generate();
            long[] centsBefore = new long[TRANSACTIONS + 1]; // revenue of the transactions before each
            for (int t = 0; t < TRANSACTIONS; t++) {
                long cents = 0;
                for (long i = t * perTransaction; i < Math.min(orders, (t + 1) * perTransaction); i++) {
                    cents += all[(int) i].amountCents();
                }
                centsBefore[t + 1] = centsBefore[t] + cents;
            }
            int transactions = 0;
            for (int t = (int) (there / perTransaction); t * perTransaction < orders; t++) {
                if (t >= AHEAD) {
                    accounted.await(centsBefore[t - AHEAD + 1], (t - AHEAD + 1) / (double) TRANSACTIONS);
                }
                producer.beginTransaction();
                for (long i = t * perTransaction; i < Math.min(orders, (t + 1) * perTransaction); i++) {
                    producer.send(new ProducerRecord<>(topic, "order-" + i, all[(int) i]));
                }
                producer.commitTransaction();
                transactions++;
            }
            return new Written(there, orders - there, transactions);
        }
    }

    private long committedOrders() {
        Map<TopicPartition, Long> ends = Topics.committedEnds(bootstrap, topic);
        return Topics.readCommitted(
                bootstrap, ends, new ByteArrayDeserializer(), new ByteArrayDeserializer(), (key, value) -> {});
    }

    /** The stream: a uniform customer, and 1.00 to 999.99 in cents, for each order. */
    private Order[] generate() {
        Random random = new Random(SEED);
        Order[] all = new Order[Math.toIntExact(orders)];
        for (int i = 0; i < all.length; i++) {
            all[i] = new Order(String.format("customer-%04d", random.nextInt(CUSTOMERS)), 100 + random.nextInt(99_900));
        }
        return all;
    }
}
