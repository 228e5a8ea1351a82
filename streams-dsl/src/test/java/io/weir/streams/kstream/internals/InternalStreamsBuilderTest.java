package io.weir.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.streams.processor.internals.InternalTopologyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InternalStreamsBuilderTest {

    @Test
    void generatedNamesStayUniqueWhenThreadsBuildConcurrently() throws Exception {
        InternalStreamsBuilder builder = new InternalStreamsBuilder(new InternalTopologyBuilder());
        int threads = 4;
        int perThread = 20_000;
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        names.add(builder.newName("KSTREAM-FILTER-"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, names.size(), "a generated name was handed out twice");
        assertEquals(
                "KSTREAM-FILTER-" + String.format("%010d", threads * perThread), builder.newName("KSTREAM-FILTER-"));
    }
}
