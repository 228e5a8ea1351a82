package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 as a user met it, through {@link EmbeddedBroker}: a data directory closed cleanly, then damaged, must
 * open within a deadline (it once spun at 100 % CPU) and serve the records before the damage.
 */
class EmbeddedBrokerDamagedDirectoryTest {
    @TempDir
    Path dir;

    private final ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broker-opener");
        t.setDaemon(true); // a spinning open must not keep the test JVM alive
        return t;
    });

    @AfterEach
    void stopOpener() {
        opener.shutdownNow();
    }

    private BrokerConfig config() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        return BrokerConfig.from(props);
    }

    @Test
    void flippedBaseOffsetOfTheLastBatchAfterACleanShutdownOpensAndKeepsThePrefix() throws Exception {
        TopicPartition tp = new TopicPartition("events", 0);
        long lastPosition = 0;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config())) {
            createTopic(broker.api(), "events", 1, Map.of());
            for (String value : List.of("a", "b", "c")) {
                var batch = batch(1000, value);
                if (!value.equals("c")) {
                    lastPosition += batch.remaining();
                }
                produce(broker.api(), tp, batch);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(
                dir.resolve("events-0").resolve(String.format("%020d.log", 0)).toFile(), "rw")) {
            raf.seek(lastPosition + 7); // the last batch's base offset 2 becomes 0: outside the CRC
            raf.write(2 ^ 0x02);
        }
        EmbeddedBroker broker = CompletableFuture.supplyAsync(() -> EmbeddedBroker.open(config()), opener)
                .get(20, TimeUnit.SECONDS);
        try {
            assertTrue(broker.openedAfterCleanShutdown());
            assertEquals(List.of("a", "b"), readAll(broker.api(), tp, 0));
            assertEquals(2, produce(broker.api(), tp, batch(1000, "d")).baseOffset());
        } finally {
            broker.close();
        }
    }
}
