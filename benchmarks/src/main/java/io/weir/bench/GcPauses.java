package io.weir.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The stop-the-world collections of this JVM, as its {@link GarbageCollectorMXBean}s report them, so a benchmark
 * can print the pauses of each measured stretch beside its rate: {@link #mark()} before, {@link #since} after; and
 * the bytes its threads allocated ({@link #allocatedBytes()}, {@link #allocatedSince}).
 *
 * <p>Each notification's {@code GcInfo} duration counts as one pause. Beans whose name says they report cycles
 * rather than pauses ({@code ZGC Cycles}, {@code Shenandoah Cycles}, G1's {@code G1 Concurrent GC} on newer
 * JDKs) are left out, as is what no bean reports (G1's remark and cleanup pauses on JDK 17): {@code -Xlog:gc}
 * stays the complete record. Durations have the beans' millisecond resolution.
 *
 * <p>Thread-safe: notifications arrive on a JMX thread and are appended under the list's lock.
 */
public final class GcPauses {
    /** Count, summed duration and longest pause of a stretch, in milliseconds; and which collector ran. */
    public record Summary(int count, long totalMs, long maxMs, String collectors) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "gc %d pauses, %d ms total, max %d ms", count, totalMs, maxMs);
        }
    }

    private static final GcPauses INSTANCE = new GcPauses();

    /** Guarded by itself. */
    private final List<Long> pausesMs = new ArrayList<>();

    private final String collectors;

    private GcPauses() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(bean.getName());
            if (bean.getName().contains("Cycles") || bean.getName().contains("Concurrent")) {
                continue;
            }
            ((NotificationEmitter) bean)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        notification.getType())) {
                                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                            (CompositeData) notification.getUserData());
                                    synchronized (pausesMs) {
                                        pausesMs.add(info.getGcInfo().getDuration());
                                    }
                                }
                            },
                            null,
                            null);
        }
        this.collectors = String.join(", ", names);
    }

    /** Starts listening, if not yet; returns a mark for {@link #since}. */
    public static int mark() {
        synchronized (INSTANCE.pausesMs) {
            return INSTANCE.pausesMs.size();
        }
    }

    /** The pauses reported after {@code mark} (notifications lag a collection by a moment). */
    public static Summary since(int mark) {
        long total = 0;
        long max = 0;
        int count;
        synchronized (INSTANCE.pausesMs) {
            List<Long> window = INSTANCE.pausesMs.subList(mark, INSTANCE.pausesMs.size());
            count = window.size();
            for (long ms : window) {
                total += ms;
                max = Math.max(max, ms);
            }
        }
        return new Summary(count, total, max, INSTANCE.collectors);
    }

    /**
     * Bytes allocated so far by each live thread, by thread id ({@code com.sun.management.ThreadMXBean}): the
     * difference of two snapshots ({@link #allocatedSince}) is what the JVM allocated in between, exactly, except
     * for threads that ended meanwhile.
     */
    public static Map<Long, Long> allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    /** Bytes allocated between {@code before} and now, summed over the threads alive now. */
    public static long allocatedSince(Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> now : allocatedBytes().entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    /**
     * {@link #allocatedSince} by thread name, numbered threads of a pool summed under one name ({@code weir-fetch-N}).
     * Threads that ended meanwhile are missing: a thread that ends first measures itself with
     * {@link #currentThreadAllocatedBytes}.
     */
    public static Map<String, Long> allocatedSinceByThread(Map<Long, Long> before) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> now : allocatedBytes().entrySet()) {
            var info = threads.getThreadInfo(now.getKey());
            if (info == null) {
                continue;
            }
            String name = info.getThreadName().replaceAll("-\\d+$", "-N");
            out.merge(name, now.getValue() - before.getOrDefault(now.getKey(), 0L), Long::sum);
        }
        return out;
    }

    /** Bytes the calling thread allocated so far. */
    public static long currentThreadAllocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The collectors' bean names, e.g. "G1 Young Generation, G1 Old Generation". */
    public static String collectors() {
        return INSTANCE.collectors;
    }
}
