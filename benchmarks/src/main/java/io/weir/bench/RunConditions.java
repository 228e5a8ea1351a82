package io.weir.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What else happened on the machine while one benchmark run ran, so that a run far from the median can be
 * attributed instead of averaged away: garbage collection in this JVM (the {@link GarbageCollectorMXBean} totals
 * before and after), the CPU that other processes took (all cores' busy time from {@code /proc/stat} minus this
 * process's own CPU time), and the page cache's dirty and writeback bytes ({@code /proc/meminfo}) at the start and
 * the end. On a machine without {@code /proc} the CPU and page-cache figures read 0.
 *
 * <p>Not thread-safe; one instance per run: {@link #start()}, then {@link #stop()}.
 */
public final class RunConditions {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
    /** USER_HZ: the unit of /proc/stat; 100 on every Linux architecture the JDK runs on. */
    private static final double JIFFIES_PER_SECOND = 100.0;

    private final long startNanos;
    private final long gcMsAtStart;
    private final long gcCountAtStart;
    private final long processCpuNanosAtStart;
    private final long busyJiffiesAtStart;
    private final long dirtyKbAtStart;
    private final long writebackKbAtStart;

    private long wallNanos;
    private long gcMs;
    private long gcCount;
    private double otherCores;
    private long dirtyKbAtEnd;
    private long writebackKbAtEnd;

    private RunConditions() {
        gcMsAtStart = gcTotal(true);
        gcCountAtStart = gcTotal(false);
        processCpuNanosAtStart = processCpuNanos();
        busyJiffiesAtStart = busyJiffies();
        long[] mem = dirtyAndWritebackKb();
        dirtyKbAtStart = mem[0];
        writebackKbAtStart = mem[1];
        startNanos = System.nanoTime();
    }

    public static RunConditions start() {
        return new RunConditions();
    }

    /** Ends the run's watch; the figures below are valid after this. */
    public RunConditions stop() {
        wallNanos = System.nanoTime() - startNanos;
        gcMs = gcTotal(true) - gcMsAtStart;
        gcCount = gcTotal(false) - gcCountAtStart;
        long ownCpuNanos = processCpuNanos() - processCpuNanosAtStart;
        long busyJiffies = busyJiffies() - busyJiffiesAtStart;
        double busySeconds = busyJiffies / JIFFIES_PER_SECOND;
        otherCores = busyJiffies == 0 ? 0 : Math.max(0, (busySeconds - ownCpuNanos / 1e9) / (wallNanos / 1e9));
        long[] mem = dirtyAndWritebackKb();
        dirtyKbAtEnd = mem[0];
        writebackKbAtEnd = mem[1];
        return this;
    }

    public long gcMs() {
        return gcMs;
    }

    /** The average number of cores other processes kept busy during the run. */
    public double otherCores() {
        return otherCores;
    }

    /** One line: GC time and count, other processes' cores, dirty and writeback MiB at start → end. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "gc %4d ms (%3d)  other procs %.2f cores  dirty %5d→%5d MiB  writeback %4d→%4d MiB",
                gcMs,
                gcCount,
                otherCores,
                dirtyKbAtStart >> 10,
                dirtyKbAtEnd >> 10,
                writebackKbAtStart >> 10,
                writebackKbAtEnd >> 10);
    }

    private static long gcTotal(boolean time) {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long v = time ? gc.getCollectionTime() : gc.getCollectionCount();
            total += Math.max(v, 0); // -1 means the collector does not report it
        }
        return total;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(os.getProcessCpuTime(), 0);
        }
        return 0;
    }

    /** All cores' non-idle time since boot, in jiffies: the "cpu" line minus idle and iowait. */
    private static long busyJiffies() {
        try {
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long total = 0;
                    // user nice system idle iowait irq softirq steal (guest time is already in user)
                    for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                        total += Long.parseLong(f[i]);
                    }
                    return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
                }
            }
        } catch (IOException | RuntimeException noProc) {
            // not Linux: the figure reads 0
        }
        return 0;
    }

    private static long[] dirtyAndWritebackKb() {
        long[] out = new long[2];
        try {
            List<String> lines = Files.readAllLines(PROC_MEMINFO);
            for (String line : lines) {
                if (line.startsWith("Dirty:")) {
                    out[0] = kb(line);
                } else if (line.startsWith("Writeback:")) {
                    out[1] = kb(line);
                }
            }
        } catch (IOException | RuntimeException noProc) {
            // not Linux: the figures read 0
        }
        return out;
    }

    private static long kb(String meminfoLine) {
        return Long.parseLong(meminfoLine.replaceAll("[^0-9]", ""));
    }
}
