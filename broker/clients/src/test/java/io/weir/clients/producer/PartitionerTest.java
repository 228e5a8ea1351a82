package io.weir.clients.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static final String TOPIC = "orders";

    @Test
    void defaultPartitionerPlacesKeysAsKafkaDoes() {
        Partitioner p = new DefaultPartitioner(new Random(1));
        // Kafka's murmur2("foobar") is -790332482; its partition is toPositive(hash) % n.
        for (int n : new int[] {1, 3, 7, 12, 100}) {
            assertEquals((-790332482 & 0x7fffffff) % n, p.partition(TOPIC, "foobar", ascii("foobar"), null, null, n));
        }
        assertEquals(1357151166 % 12, p.partition(TOPIC, null, ascii("foobar"), null, null, 12));
        // "21" hashes to -973932308 in Kafka: partition 1173551340 % 10 = 0.
        assertEquals(0, p.partition(TOPIC, null, ascii("21"), null, null, 10));
    }

    @Test
    void keyedRecordsIgnoreNewBatches() {
        Partitioner p = new DefaultPartitioner(new Random(2));
        int first = p.partition(TOPIC, null, ascii("k"), null, null, 8);
        p.onNewBatch(TOPIC, first, 8);
        assertEquals(first, p.partition(TOPIC, null, ascii("k"), null, null, 8));
    }

    @Test
    void keylessRecordsStickUntilANewBatchThenMoveToAnotherPartition() {
        for (Partitioner p :
                new Partitioner[] {new DefaultPartitioner(new Random(3)), new UniformStickyPartitioner(new Random(3))
                }) {
            int sticky = p.partition(TOPIC, null, null, null, null, 6);
            for (int i = 0; i < 100; i++) {
                assertEquals(sticky, p.partition(TOPIC, null, null, null, null, 6));
            }
            Set<Integer> seen = new HashSet<>();
            seen.add(sticky);
            for (int i = 0; i < 200; i++) {
                p.onNewBatch(TOPIC, sticky, 6);
                int next = p.partition(TOPIC, null, null, null, null, 6);
                assertNotEquals(sticky, next, "a new batch moves the topic to a different partition");
                sticky = next;
                seen.add(sticky);
            }
            assertEquals(6, seen.size(), "random switching reaches every partition");
        }
    }

    @Test
    void newBatchOnAPartitionThatIsNoLongerStickyDoesNotSwitchAgain() {
        Partitioner p = new DefaultPartitioner(new Random(4));
        int sticky = p.partition(TOPIC, null, null, null, null, 5);
        int stale = (sticky + 1) % 5;
        p.onNewBatch(TOPIC, stale, 5);
        assertEquals(sticky, p.partition(TOPIC, null, null, null, null, 5));
    }

    @Test
    void stickyPartitionsAreTrackedPerTopic() {
        Partitioner p = new DefaultPartitioner(new Random(5));
        int a = p.partition("a", null, null, null, null, 1000);
        int b = p.partition("b", null, null, null, null, 1000);
        p.onNewBatch("a", a, 1000);
        assertEquals(b, p.partition("b", null, null, null, null, 1000));
    }

    @Test
    void singlePartitionTopicAlwaysGetsPartitionZero() {
        Partitioner p = new UniformStickyPartitioner(new Random(6));
        assertEquals(0, p.partition(TOPIC, null, null, null, null, 1));
        p.onNewBatch(TOPIC, 0, 1);
        assertEquals(0, p.partition(TOPIC, null, null, null, null, 1));
    }

    @Test
    void uniformStickyIgnoresKeys() {
        Partitioner p = new UniformStickyPartitioner(new Random(7));
        int sticky = p.partition(TOPIC, null, null, null, null, 50);
        assertEquals(sticky, p.partition(TOPIC, "x", ascii("x"), null, null, 50));
        assertEquals(sticky, p.partition(TOPIC, "y", ascii("y"), null, null, 50));
    }

    @Test
    void roundRobinCyclesThroughPartitionsPerTopicAndIgnoresNewBatches() {
        Partitioner p = new RoundRobinPartitioner();
        for (int i = 0; i < 10; i++) {
            assertEquals(i % 4, p.partition(TOPIC, null, ascii("same key"), null, null, 4));
            p.onNewBatch(TOPIC, i % 4, 4);
        }
        assertEquals(0, p.partition("other", null, null, null, null, 4), "each topic has its own counter");
    }

    @Test
    void roundRobinGivesConcurrentSendersDistinctTurns() throws InterruptedException {
        Partitioner p = new RoundRobinPartitioner();
        ConcurrentHashMap<Integer, Integer> perPartition = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    perPartition.merge(p.partition(TOPIC, null, null, null, null, 8), 1, Integer::sum);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        for (int i = 0; i < 8; i++) {
            assertEquals(5_000, perPartition.get(i), "partition " + i);
        }
    }

    @Test
    void zeroPartitionsIsRejectedNamingTheTopic() {
        for (Partitioner p : new Partitioner[] {
            new DefaultPartitioner(new SplittableRandom(8)), new UniformStickyPartitioner(), new RoundRobinPartitioner()
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> p.partition(TOPIC, null, null, null, null, 0));
            assertTrue(e.getMessage().contains(TOPIC), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new DefaultPartitioner()
                .partition(TOPIC, "k", ascii("k"), null, null, 0));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
